package io.llmservice.core.internal.exec;

import io.llmservice.spi.CancellationSignal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A cancellation signal a test fires by hand, with the contract of {@link CancellationSignal}. */
final class ManualCancellation implements CancellationSignal {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            callbacks.forEach(Runnable::run);
        }
    }

    int registrations() {
        return callbacks.size();
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public AutoCloseable onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled.get()) {
            callback.run();
        }
        return () -> callbacks.remove(callback);
    }
}
