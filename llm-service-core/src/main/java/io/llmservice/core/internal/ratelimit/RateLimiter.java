package io.llmservice.core.internal.ratelimit;

import io.llmservice.Ticker;
import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.RateLimitOutcome;
import io.llmservice.spi.RateLimitTake;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Every configured rate limit ({@code policies.rate_limits}), one token bucket per limit and
 * dimension: requests per minute, and estimated prompt tokens per minute. A limit's buckets are
 * shared by every call its scope matches. A call is admitted only when every bucket that applies
 * admits it, and then takes from all of them in the same atomic step, so concurrent calls never
 * pass on the same permit and a refused call takes nothing.
 *
 * <p>The buckets live in memory ({@link #RateLimiter(List, Ticker)}), or in a telemetry store's
 * {@link RateLimitLedger} that every process sharing the store uses
 * ({@link #RateLimiter(List, Ticker, Clock, RateLimitLedger)}). Both give the same answers; the bucket
 * names in the ledger are the dimension and the limit's scope ({@code requests {agent: reviewer}}).
 *
 * <p>Time: buckets in memory refill on the {@link Ticker}, so setting the wall clock (an NTP step,
 * a resumed laptop) neither stalls nor bursts them. A ticker means nothing in another process, so
 * shared buckets refill on the wall clock ({@code clock}), the one time every process of a machine
 * reads; the ledger contains its steps (see {@link RateLimitLedger}).
 *
 * <pre>{@code
 * RateLimiter limiter = new RateLimiter(config.policies().rateLimits(), Ticker.system());
 * RateLimiter.Decision d = limiter.tryAcquire("reviewer", "platform", "claude-code", "sonnet", 1200);
 * if (!d.admitted()) throw new RateLimitedException(d.scope(), d.retryAfter(), d.detail());
 * }</pre>
 *
 * <p>Thread-safe. In memory: one lock, held for a few arithmetic operations per matching limit.
 * Shared: no lock here; the ledger makes each call atomic.
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

    /** One limit's bucket of one dimension; {@code local} is null when the buckets are shared. */
    private record Bucket(RateLimitDefinition limit, boolean tokens, long perMinute, String name, TokenBucket local) {
    }

    private final Ticker ticker;
    private final Clock clock;
    private final RateLimitLedger shared;
    private final List<Bucket> buckets = new ArrayList<>();

    /** Buckets in memory, for this instance alone, refilled on {@code ticker}. */
    public RateLimiter(List<RateLimitDefinition> limits, Ticker ticker) {
        this(limits, ticker, Clock.systemUTC(), null);
    }

    /**
     * Buckets kept by {@code shared} (a store's ledger, refilled on {@code clock}), or in memory when it is
     * null (refilled on {@code ticker}).
     */
    public RateLimiter(List<RateLimitDefinition> limits, Ticker ticker, Clock clock, RateLimitLedger shared) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.shared = shared;
        long now = tickerMicros();
        Set<String> names = new HashSet<>();
        for (RateLimitDefinition l : limits) {
            if (l.requestsPerMinute() > 0) {
                buckets.add(bucket(l, false, l.requestsPerMinute(), names, now));
            }
            if (l.tokensPerMinute() > 0) {
                buckets.add(bucket(l, true, l.tokensPerMinute(), names, now));
            }
        }
    }

    private Bucket bucket(RateLimitDefinition l, boolean tokens, long perMinute, Set<String> names, long now) {
        // Two entries with the same scope are two limits: the second one's name says which it is.
        String base = (tokens ? "tokens " : "requests ") + l.scope();
        String name = base;
        for (int n = 2; !names.add(name); n++) {
            name = base + " #" + n;
        }
        return new Bucket(l, tokens, perMinute, name, shared == null ? new TokenBucket(perMinute, now) : null);
    }

    /** Whether no rate limit is configured. */
    public boolean isEmpty() {
        return buckets.isEmpty();
    }

    /** Whether the buckets are kept by a store's ledger rather than in memory. */
    public boolean isShared() {
        return shared != null;
    }

    /**
     * Admits a call of {@code tokens} estimated prompt tokens and takes its permits, or refuses and
     * takes nothing. {@code team}, {@code tool} and {@code model} may be null when unknown.
     */
    public Decision tryAcquire(String agent, String team, String tool, String model, long tokens) {
        return shared == null ? tryLocal(agent, team, tool, model, tokens) : tryShared(agent, team, tool, model, tokens);
    }

    private synchronized Decision tryLocal(String agent, String team, String tool, String model, long tokens) {
        long now = tickerMicros();
        List<Bucket> matching = new ArrayList<>(buckets.size());
        long[] waits = new long[buckets.size()];
        boolean fits = true;
        for (Bucket b : buckets) {
            if (!b.limit().scope().matches(agent, team, tool, model)) {
                continue;
            }
            b.local().refill(now);
            long wait = b.local().waitMicros(b.tokens() ? tokens : 1);
            waits[matching.size()] = wait;
            matching.add(b);
            fits &= wait == 0;
        }
        if (fits) {
            for (Bucket b : matching) {
                b.local().take(b.tokens() ? tokens : 1);
            }
            return Decision.ADMITTED;
        }
        return refusal(matching, waits, tokens);
    }

    private Decision tryShared(String agent, String team, String tool, String model, long tokens) {
        List<Bucket> matching = new ArrayList<>(buckets.size());
        List<RateLimitTake> takes = new ArrayList<>(buckets.size());
        for (Bucket b : buckets) {
            if (b.limit().scope().matches(agent, team, tool, model)) {
                matching.add(b);
                takes.add(new RateLimitTake(b.name(), b.perMinute(), b.tokens() ? tokens : 1));
            }
        }
        if (matching.isEmpty()) {
            return Decision.ADMITTED;
        }
        RateLimitOutcome outcome = shared.tryTake(takes, clock.instant());
        if (outcome.taken()) {
            return Decision.ADMITTED;
        }
        long[] waits = new long[matching.size()];
        for (int i = 0; i < waits.length; i++) {
            Duration w = outcome.waits().get(i);
            // The ledger rounds up to the microsecond; a finer wait still counts as one.
            waits[i] = w.isZero() ? 0 : Math.max(1, ceilMicros(w));
        }
        return refusal(matching, waits, tokens);
    }

    /** The refusal for {@code matching} buckets of which some have a positive wait (same index). */
    private static Decision refusal(List<Bucket> matching, long[] waits, long tokens) {
        long longest = -1;
        Bucket worst = null;
        boolean mayWait = true;
        Duration maxWait = null;
        for (int i = 0; i < matching.size(); i++) {
            long wait = waits[i];
            if (wait <= 0) {
                continue;
            }
            Bucket b = matching.get(i);
            if (wait > longest) {
                longest = wait;
                worst = b;
            }
            mayWait &= b.limit().onLimit() == OnLimit.WAIT;
            maxWait = maxWait == null || b.limit().maxWait().compareTo(maxWait) < 0 ? b.limit().maxWait() : maxWait;
        }
        Objects.requireNonNull(worst, "a refusal without a positive wait");
        String detail = worst.tokens()
                ? worst.perMinute() + " tokens per minute; this request ~" + tokens + " tokens"
                : worst.perMinute() + " requests per minute";
        return new Decision(false, Duration.of(longest, ChronoUnit.MICROS), mayWait, mayWait ? maxWait : Duration.ZERO,
                worst.limit().scope().toString(), detail);
    }

    private static long ceilMicros(Duration d) {
        long micros = d.getSeconds() * 1_000_000L + d.getNano() / 1_000;
        return d.getNano() % 1_000 == 0 ? micros : micros + 1;
    }

    /** The ticker in microseconds; only differences between two readings mean anything. */
    private long tickerMicros() {
        return Math.floorDiv(ticker.read(), 1_000L);
    }
}
