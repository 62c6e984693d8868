package io.llmservice;

import java.time.Duration;
import java.util.Objects;

/** A rate limit refused the request; {@link #retryAfter()} says when a retry may pass. */
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
