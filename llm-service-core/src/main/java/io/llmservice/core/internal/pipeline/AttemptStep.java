package io.llmservice.core.internal.pipeline;

/**
 * One step of the attempt chain (budget, telemetry, invoke). A step may act before and after
 * the rest of the chain, or answer without calling it (a budget refusal does).
 */
public interface AttemptStep {

    AttemptResult handle(AttemptContext attempt, AttemptChain next);
}
