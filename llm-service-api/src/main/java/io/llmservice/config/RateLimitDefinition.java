package io.llmservice.config;

import java.time.Duration;
import java.util.Objects;

/**
 * One entry of {@code policies.rate_limits}. A dimension set to 0 is not limited; at least
 * one is set.
 *
 * <pre>{@code
 * for (RateLimitDefinition r : llm.config().policies().rateLimits()) {
 *     System.out.println(r.scope() + ": " + r.requestsPerMinute() + " requests/min, then " + r.onLimit().yamlName());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param scope             which calls count
 * @param requestsPerMinute requests per minute, or 0
 * @param tokensPerMinute   estimated prompt tokens per minute, or 0
 * @param onLimit           fail at once, or wait up to {@code maxWait}
 * @param maxWait           the longest wait with {@code on_limit: wait}
 */
public record RateLimitDefinition(Scope scope, long requestsPerMinute, long tokensPerMinute, OnLimit onLimit,
                                  Duration maxWait) {
    public RateLimitDefinition {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(onLimit, "onLimit");
        Objects.requireNonNull(maxWait, "maxWait");
        if (requestsPerMinute < 0 || tokensPerMinute < 0 || requestsPerMinute + tokensPerMinute == 0) {
            throw new IllegalArgumentException("rate limit " + scope + ": requests_per_minute and tokens_per_minute"
                    + " must be > 0 when set, and at least one must be set");
        }
    }
}
