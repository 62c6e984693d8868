package io.llmservice.core.internal.ratelimit;

import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every configured rate limit ({@code policies.rate_limits}), one token bucket per limit and
 * dimension: requests per minute, and estimated prompt tokens per minute. A limit's buckets are
 * shared by every call its scope matches. A call is admitted only when every bucket that applies
 * admits it, and then takes from all of them in the same locked step, so concurrent calls never
 * pass on the same permit and a refused call takes nothing.
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(config.policies().rateLimits(), clock);
 * RateLimiter.Decision d = limiter.tryAcquire("reviewer", "platform", "claude-code", "sonnet", 1200);
 * if (!d.admitted()) throw new RateLimitedException(d.scope(), d.retryAfter(), d.detail());
 * }</pre>
 *
 * <p>Thread-safe; one lock, held for a few arithmetic operations per matching limit.
 */
public final class RateLimiter {

    /**
     * The answer to one {@link #tryAcquire}.
     *
     * @param admitted   whether the call may run (and its permits were taken)
     * @param retryAfter when a retry may pass, when refused (the longest wait among refusing limits)
     * @param mayWait    whether every refusing limit has {@code on_limit: wait}
     * @param maxWait    the shortest {@code max_wait} among the refusing limits (when {@code mayWait})
     * @param scope      the scope of the refusing limit with the longest wait
     * @param detail     what that limit allows, for the message
     */
    public record Decision(boolean admitted, Duration retryAfter, boolean mayWait, Duration maxWait, String scope,
                           String detail) {
        static final Decision ADMITTED = new Decision(true, Duration.ZERO, false, Duration.ZERO, "", "");
    }

    private record Bucket(RateLimitDefinition limit, boolean tokens, TokenBucket bucket) {
    }

    private final Clock clock;
    private final List<Bucket> buckets = new ArrayList<>();

    public RateLimiter(List<RateLimitDefinition> limits, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        long now = micros(clock.instant());
        for (RateLimitDefinition l : limits) {
            if (l.requestsPerMinute() > 0) {
                buckets.add(new Bucket(l, false, new TokenBucket(l.requestsPerMinute(), now)));
            }
            if (l.tokensPerMinute() > 0) {
                buckets.add(new Bucket(l, true, new TokenBucket(l.tokensPerMinute(), now)));
            }
        }
    }

    /** Whether no rate limit is configured. */
    public boolean isEmpty() {
        return buckets.isEmpty();
    }

    /**
     * Admits a call of {@code tokens} estimated prompt tokens and takes its permits, or refuses and
     * takes nothing. {@code team}, {@code tool} and {@code model} may be null when unknown.
     */
    public synchronized Decision tryAcquire(String agent, String team, String tool, String model, long tokens) {
        long now = micros(clock.instant());
        long longest = -1;
        Bucket worst = null;
        boolean mayWait = true;
        Duration maxWait = null;
        List<Bucket> matching = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            if (!b.limit().scope().matches(agent, team, tool, model)) {
                continue;
            }
            matching.add(b);
            b.bucket().refill(now);
            long wait = b.bucket().waitMicros(b.tokens() ? tokens : 1);
            if (wait > 0) {
                if (wait > longest) {
                    longest = wait;
                    worst = b;
                }
                mayWait &= b.limit().onLimit() == OnLimit.WAIT;
                maxWait = maxWait == null || b.limit().maxWait().compareTo(maxWait) < 0 ? b.limit().maxWait() : maxWait;
            }
        }
        if (worst == null) {
            for (Bucket b : matching) {
                b.bucket().take(b.tokens() ? tokens : 1);
            }
            return Decision.ADMITTED;
        }
        String detail = worst.tokens()
                ? worst.bucket().perMinute() + " tokens per minute; this request ~" + tokens + " tokens"
                : worst.bucket().perMinute() + " requests per minute";
        return new Decision(false, Duration.of(longest, ChronoUnit.MICROS), mayWait, mayWait ? maxWait : Duration.ZERO,
                worst.limit().scope().toString(), detail);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
