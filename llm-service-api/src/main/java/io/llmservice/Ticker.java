package io.llmservice;

/**
 * A monotonic source of nanoseconds for intervals: rate-limit refill, deadlines, timeouts and
 * latency. Unlike {@link java.time.Clock}, which the service uses only for timestamps, a ticker
 * never steps back or jumps when the wall clock is set (NTP, a suspended laptop).
 *
 * <pre>{@code
 * // a test that moves time by hand
 * AtomicLong nanos = new AtomicLong();
 * LlmService llm = LlmService.builder()
 *         .config(Path.of("llm-service.yaml"))
 *         .ticker(nanos::get)
 *         .build();
 * nanos.addAndGet(Duration.ofSeconds(1).toNanos());
 * }</pre>
 *
 * <p>Implementations must be thread-safe and monotonic; only differences between two readings
 * have a meaning.
 */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds since an arbitrary origin. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "Ticker.system()";
    }
}
