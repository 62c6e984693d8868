package io.llmservice.spi;

import io.llmservice.LlmRequest;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;

/**
 * What a {@link RoutingStrategy} may consult. Implemented by the service; thread-safe.
 */
public interface RoutingContext {

    /** The request being routed. */
    LlmRequest request();

    /** The agent the request runs for (the request's agent, or the default agent). */
    AgentDefinition agent();

    /** The whole configuration. */
    LlmConfig config();

    /** The prompt's estimated token count. */
    long estimatedPromptTokens();

    /** Whether a configured tool can run here (cached; no process is started). */
    Availability availability(String tool);
}
