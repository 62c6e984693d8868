package io.llmservice;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate limit refused the request; {@link #retryAfter()} says when a retry may pass.
 *
 * <pre>{@code
 * try {
 *     return llm.route(request).execute();
 * } catch (RateLimitedException e) {
 *     Thread.sleep(e.retryAfter().toMillis());   // then send it again
 *     return llm.route(request).execute();
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class RateLimitedException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final String scope;
    private final Duration retryAfter;

    public RateLimitedException(String scope, Duration retryAfter, String detail) {
        super(ErrorCode.RATE_LIMITED, "rate limit " + scope + " reached (" + detail + "); retry after "
                + retryAfter.toMillis() + " ms");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public String scope() {
        return scope;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public boolean retriable() {
        return true;
    }
}
