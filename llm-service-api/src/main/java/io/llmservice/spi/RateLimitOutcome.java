package io.llmservice.spi;

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * The answer of {@link RateLimitLedger#tryTake}: whether the request took its permits from every
 * bucket, and otherwise how long each bucket needs before it would fit.
 *
 * <pre>{@code
 * RateLimitOutcome o = ledger.tryTake(takes, clock.instant());
 * if (!o.taken()) {
 *     Duration retryAfter = o.waits().stream().max(Comparator.naturalOrder()).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param taken whether the permits were taken from every bucket (when false, none was taken)
 * @param waits one per {@link RateLimitTake}, in the order asked: how long until that bucket alone
 *              would have room for its take ({@link Duration#ZERO} when it has room now); all zero
 *              when {@code taken}, at least one positive otherwise
 */
public record RateLimitOutcome(boolean taken, List<Duration> waits) {
    public RateLimitOutcome {
        waits = List.copyOf(waits);
        boolean anyWait = false;
        for (Duration w : waits) {
            if (w.isNegative()) {
                throw new IllegalArgumentException("waits must not be negative, was " + waits);
            }
            anyWait |= !w.isZero();
        }
        if (taken == anyWait) {
            throw new IllegalArgumentException(taken ? "a taken outcome has no waits, was " + waits
                    : "a refused outcome names at least one positive wait, was " + waits);
        }
    }

    /** Taken from every one of {@code buckets} buckets. */
    public static RateLimitOutcome taken(int buckets) {
        return new RateLimitOutcome(true, Collections.nCopies(buckets, Duration.ZERO));
    }

    /** Refused, nothing taken; {@code waits} as in the record. */
    public static RateLimitOutcome refused(List<Duration> waits) {
        return new RateLimitOutcome(false, waits);
    }

    /** The longest of the waits: when the whole request would fit. Zero when taken. */
    public Duration retryAfter() {
        Duration longest = Duration.ZERO;
        for (Duration w : waits) {
            if (w.compareTo(longest) > 0) {
                longest = w;
            }
        }
        return longest;
    }
}
