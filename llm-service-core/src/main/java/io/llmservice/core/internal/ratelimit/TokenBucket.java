package io.llmservice.core.internal.ratelimit;

/**
 * A token bucket that holds up to {@code perMinute} permits and refills at {@code perMinute} per
 * minute, in exact integer arithmetic: one permit is {@value #MICROS_PER_MINUTE} units, and the
 * bucket gains {@code perMinute} units per elapsed microsecond. So "20 per minute" gives back
 * one permit every 3 s exactly, with no floating-point drift in retry-after values.
 *
 * <p>A request larger than the bucket (a prompt with more estimated tokens than
 * {@code tokens_per_minute}) is admitted once the bucket is full and leaves it in debt, so the
 * rate over time still holds and no request is refused forever.
 *
 * <p>Not thread-safe: {@link RateLimiter} guards every bucket with its lock.
 */
final class TokenBucket {
    static final long MICROS_PER_MINUTE = 60_000_000L;

    private final long perMinute;
    private final long capacity;
    private long level;
    private long lastMicros;

    TokenBucket(long perMinute, long nowMicros) {
        if (perMinute <= 0) {
            throw new IllegalArgumentException("perMinute must be > 0, was " + perMinute);
        }
        this.perMinute = perMinute;
        this.capacity = Math.multiplyExact(perMinute, MICROS_PER_MINUTE);
        this.level = capacity;
        this.lastMicros = nowMicros;
    }

    /**
     * Adds what accrued since the last call. {@code nowMicros} comes from a monotonic ticker; a reading
     * older than the last one (another thread's, read a moment earlier) adds nothing.
     */
    void refill(long nowMicros) {
        long elapsed = nowMicros - lastMicros;
        if (elapsed <= 0) {
            return;
        }
        lastMicros = nowMicros;
        long untilFull = ceilDiv(capacity - level, perMinute);
        level = elapsed >= untilFull ? capacity : level + elapsed * perMinute;
    }

    /** Microseconds until {@code amount} may be taken; 0 when it may be taken now. */
    long waitMicros(long amount) {
        long need = Math.min(amount, perMinute) * MICROS_PER_MINUTE;
        return level >= need ? 0 : ceilDiv(need - level, perMinute);
    }

    /** Takes {@code amount} permits (call only after {@link #waitMicros} returned 0). */
    void take(long amount) {
        level -= Math.multiplyExact(amount, MICROS_PER_MINUTE);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
