package io.llmservice.core.internal;

import io.llmservice.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} a test moves by hand, only forwards. Starts at an arbitrary, negative origin, as
 * {@link System#nanoTime()} may. Thread-safe.
 */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(-Duration.ofDays(3).toNanos());

    /** Moves the ticker forward by {@code d}. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a ticker never goes back, was asked to move " + d);
        }
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public long read() {
        return nanos.get();
    }
}
