package io.llmservice.core.internal.ratelimit;

import io.llmservice.spi.CancellationSignal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a rate limit to admit a request. Injected so tests can advance a fake clock instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits up to {@code duration}, returning early when the call is cancelled.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration, CancellationSignal cancellation) throws InterruptedException;

    /** Really waits, and wakes up at once on cancellation. */
    static Sleeper real() {
        return (duration, cancellation) -> {
            CountDownLatch cancelled = new CountDownLatch(1);
            AutoCloseable registration = cancellation.onCancel(cancelled::countDown);
            try {
                cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
            } finally {
                try {
                    registration.close();
                } catch (Exception ignored) {
                    // unregistering a callback does not fail in practice; nothing to undo
                }
            }
        };
    }
}
