package io.llmservice.core.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a service's telemetry store on a daemon thread of its own, so that the opening overlaps
 * building the rest of the service, and closes an opening that a failed build leaves unused.
 *
 * <pre>{@code
 * CompletableFuture<TelemetryStore> opening = StoreOpening.open(provider, config.policies().telemetry(), clock);
 * ...   // build the adapters meanwhile; on failure: StoreOpening.closeWhenOpen(opening)
 * TelemetryStore store = BackgroundTask.join(opening);
 * }</pre>
 */
final class StoreOpening {
    /** How long closing an unused opening waits for it to finish. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    private StoreOpening() {
    }

    /** Starts opening the store on a daemon thread. */
    static CompletableFuture<TelemetryStore> open(TelemetryStoreProvider provider, TelemetrySettings settings,
                                                  Clock clock) {
        return BackgroundTask.completeOnDaemon(new CompletableFuture<>(), "llm-service-telemetry-open",
                () -> provider.open(settings, clock));
    }

    /**
     * Closes a store that is still opening and will not be used: waits up to {@value #CLOSE_WAIT_MILLIS}
     * ms for the open to finish and closes it, else closes it whenever it finishes. Waiting matters:
     * a process that exits right after a failed build (the command line does) would otherwise cut an
     * open short. An open that failed holds nothing; what it threw is not reported, the caller's own
     * error is.
     */
    static void closeWhenOpen(CompletableFuture<TelemetryStore> opening) {
        closeWhenOpen(opening, CLOSE_WAIT_MILLIS);
    }

    /** As {@link #closeWhenOpen(CompletableFuture)}, waiting at most {@code waitMillis}. */
    static void closeWhenOpen(CompletableFuture<TelemetryStore> opening, long waitMillis) {
        try {
            closeQuietly(opening.get(waitMillis, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            opening.thenAccept(StoreOpening::closeQuietly);
        } catch (ExecutionException | CancellationException e) {
            // It did not open: nothing to close.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.thenAccept(StoreOpening::closeQuietly);
        }
    }

    private static void closeQuietly(TelemetryStore store) {
        try {
            store.close();
        } catch (RuntimeException ignored) {
            // already failing or unused; nothing to report
        }
    }
}
