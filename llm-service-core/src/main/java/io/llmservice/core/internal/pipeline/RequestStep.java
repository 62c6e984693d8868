package io.llmservice.core.internal.pipeline;

import io.llmservice.LlmResponse;

/**
 * One step of the request chain (rate limit, then routing with fallback). The last request step
 * runs the attempt chain once per candidate.
 */
public interface RequestStep {

    LlmResponse handle(Exchange exchange, RequestChain next);
}
