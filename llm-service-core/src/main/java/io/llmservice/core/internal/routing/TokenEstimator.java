package io.llmservice.core.internal.routing;

/**
 * Estimates how many tokens a text costs. Routing uses it to pick a tier and to skip models
 * whose context window is too small; budgets use it to estimate a call's cost.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface TokenEstimator {

    /** The estimated token count of {@code text}; 0 only for an empty text. */
    long estimate(CharSequence text);
}
