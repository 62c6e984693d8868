package io.llmservice.spi;

import java.time.Instant;
import java.util.List;

/**
 * Token buckets kept by a telemetry store ({@link TelemetryStore#rateLimits()}), so that the rate
 * limits of {@code policies.rate_limits} hold across every thread and process sharing the store,
 * like its budgets do.
 *
 * <p>The one operation, {@link #tryTake}, is atomic over all the buckets it names: it takes from
 * every one of them, or from none, and then says how long each would need. The buckets behave as
 * the service's own in-memory ones (see {@link RateLimitTake} and {@code docs/budgets.md}):
 * <ul>
 *   <li>a bucket refills by the time elapsed since it was last refilled, measured on the
 *       {@code now} the caller passes (the service clock); a {@code now} earlier than the last one
 *       adds nothing, and a bucket never holds more than {@code perMinute};</li>
 *   <li>steps of the wall clock are contained: a step forward refills at most to {@code perMinute};
 *       a step back adds nothing, and once a {@code now} is well behind the last refill (seconds,
 *       not the moment between two processes' readings) the bucket refills from that {@code now}
 *       on instead of stalling until the clock catches up;</li>
 *   <li>a take fits when the bucket holds {@code min(amount, perMinute)}; it then leaves
 *       {@code level - amount}, so a take larger than the bucket passes once the bucket is full and
 *       leaves it in debt;</li>
 *   <li>a wait is the time until the bucket holds {@code min(amount, perMinute)}, rounded up to the
 *       microsecond.</li>
 * </ul>
 * Processes sharing a store must share a clock for the refill to mean anything: processes of one
 * machine read the same wall clock. (A monotonic {@link io.llmservice.Ticker}, which the service's
 * in-memory buckets use, means nothing in another process.)
 *
 * <pre>{@code
 * Optional<RateLimitLedger> shared = store.rateLimits();
 * if (shared.isPresent()) {
 *     RateLimitOutcome o = shared.get().tryTake(List.of(
 *             new RateLimitTake("requests {agent: reviewer}", 20, 1),
 *             new RateLimitTake("tokens {agent: reviewer}", 400_000, 1_200)), clock.instant());
 *     if (!o.taken()) {
 *         throw new RateLimitedException("{agent: reviewer}", o.retryAfter(), "20 requests per minute");
 *     }
 * }
 * }</pre>
 *
 * <p>Thread-safe, and atomic across processes sharing the store. A call that cannot reach the store
 * throws an {@link io.llmservice.LlmServiceException} ({@code LLM-050}); it has then taken nothing.
 */
public interface RateLimitLedger {

    /**
     * Takes every one of {@code takes} from its bucket, or none of them.
     *
     * @param takes distinct buckets (each name at most once), in any order; empty is taken at once
     * @param now   the current time, from the service clock
     * @return taken, or refused with each bucket's wait in the order of {@code takes}
     * @throws IllegalArgumentException when a bucket is named twice
     */
    RateLimitOutcome tryTake(List<RateLimitTake> takes, Instant now);
}
