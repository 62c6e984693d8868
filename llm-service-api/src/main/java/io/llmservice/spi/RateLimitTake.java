package io.llmservice.spi;

import java.util.Objects;

/**
 * What one request takes from one token bucket of a {@link RateLimitLedger}.
 *
 * <p>A bucket is named by {@code bucket}: the same name is the same bucket for every thread and
 * process sharing the store. It holds at most {@code perMinute} permits and refills continuously at
 * {@code perMinute} per minute, as {@code policies.rate_limits} defines its buckets ("20 per minute"
 * gives back one permit every 3 s). A bucket seen for the first time starts full.
 *
 * <pre>{@code
 * RateLimitTake requests = new RateLimitTake("requests {agent: reviewer}", 20, 1);
 * RateLimitTake tokens = new RateLimitTake("tokens {agent: reviewer}", 400_000, 1_200);
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param bucket    the bucket's name, unique per limit and dimension; not blank
 * @param perMinute the bucket's capacity and its refill per minute, &gt; 0
 * @param amount    the permits to take, &ge; 0; more than {@code perMinute} is allowed and is taken
 *                  from a full bucket, leaving it in debt
 */
public record RateLimitTake(String bucket, long perMinute, long amount) {
    public RateLimitTake {
        Objects.requireNonNull(bucket, "bucket");
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (perMinute <= 0) {
            throw new IllegalArgumentException("perMinute must be > 0, was " + perMinute + " (bucket " + bucket + ")");
        }
        if (amount < 0) {
            throw new IllegalArgumentException("amount must be >= 0, was " + amount + " (bucket " + bucket + ")");
        }
    }
}
