package io.llmservice.core.internal.pipeline;

import io.llmservice.spi.CancellationSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** The cancellation state of one call; {@link #cancel()} runs every registered callback once. */
public final class CallCancellation implements CancellationSignal {
    private static final Logger LOG = LoggerFactory.getLogger(CallCancellation.class);

    private final List<Runnable> callbacks = new ArrayList<>();
    private boolean cancelled;

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public AutoCloseable onCancel(Runnable callback) {
        synchronized (this) {
            if (!cancelled) {
                callbacks.add(callback);
                return () -> {
                    synchronized (CallCancellation.this) {
                        callbacks.remove(callback);
                    }
                };
            }
        }
        run(callback);
        return () -> { };
    }

    /** Cancels; returns false when already cancelled. */
    public boolean cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return false;
            }
            cancelled = true;
            toRun = new ArrayList<>(callbacks);
            callbacks.clear();
        }
        toRun.forEach(CallCancellation::run);
        return true;
    }

    private static void run(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.warn("a cancellation callback failed: {}", e.toString());
        }
    }
}
