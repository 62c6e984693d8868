package io.llmservice.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One-off work on a short-lived daemon thread of its own (opening the telemetry store), and
 * waiting for it as if it had run on the waiting thread.
 */
final class BackgroundTask {
    private BackgroundTask() {
    }

    /** Starts {@code work} on a daemon thread named {@code threadName}; it completes {@code target}. */
    static <T> CompletableFuture<T> completeOnDaemon(CompletableFuture<T> target, String threadName,
                                                            Supplier<? extends T> work) {
        Thread thread = new Thread(() -> {
            try {
                target.complete(work.get());
            } catch (Throwable t) {
                target.completeExceptionally(t);
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return target;
    }

    /**
     * The value, or what the work threw, as it was thrown. Waits however long it takes (the work
     * must not be left half-done); an interrupt meanwhile stays set on the thread.
     */
    static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
