package io.llmservice.core.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens a service's telemetry store on a daemon thread: early, while the configuration is still
 * being validated, when the store's provider says it exists already (so opening it creates
 * nothing); otherwise once the configuration is valid. An early opening that the valid
 * configuration does not name, or that a failed load leaves unused, is closed as soon as it is open
 * ({@link #closeWhenOpen}).
 *
 * <pre>{@code
 * StoreOpening stores = new StoreOpening(providers, clock);
 * LlmConfig config = loader.load(source, env, stores::startEarly);   // discard() if the build fails
 * CompletableFuture<TelemetryStore> store = stores.forConfig(config.policies().telemetry());
 * }</pre>
 *
 * <p>Not thread-safe: one {@code build()} uses it.
 */
final class StoreOpening {
    /** How long closing an unused opening waits for it to finish. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    private final Providers<TelemetryStoreProvider> providers;
    private final Clock clock;
    private TelemetrySettings earlySettings;
    private CompletableFuture<TelemetryStore> early;

    StoreOpening(Providers<TelemetryStoreProvider> providers, Clock clock) {
        this.providers = Objects.requireNonNull(providers, "providers");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Starts opening the store these (not yet validated) settings name, if it exists already. */
    void startEarly(TelemetrySettings settings) {
        if (early != null) {
            return;
        }
        Optional<TelemetryStoreProvider> provider = providers.get(settings.store());
        if (provider.isEmpty() || !exists(provider.get(), settings)) {
            return;
        }
        earlySettings = settings;
        early = open(provider.get(), settings);
    }

    /**
     * The opening of the store a valid configuration names: the early one if it was started with
     * these settings, else a new one.
     */
    CompletableFuture<TelemetryStore> forConfig(TelemetrySettings settings) {
        if (early != null) {
            if (sameStore(earlySettings, settings)) {
                CompletableFuture<TelemetryStore> opened = early;
                early = null;
                return opened;
            }
            discard();
        }
        return open(providers.require(settings.store()), settings);
    }

    /** Closes an early opening that will not be used ({@link #closeWhenOpen}); nothing when there is none. */
    void discard() {
        if (early != null) {
            CompletableFuture<TelemetryStore> unused = early;
            early = null;
            closeWhenOpen(unused);
        }
    }

    /**
     * Closes a store that is still opening and will not be used: waits up to {@value #CLOSE_WAIT_MILLIS}
     * ms for the open to finish and closes it, else closes it whenever it finishes. Waiting matters:
     * a process that exits right after a failed build (the command line does) would otherwise cut an
     * H2 open short and leave its lock file behind. An open that failed holds nothing; what it threw is
     * not reported, the caller's own error is.
     */
    static void closeWhenOpen(CompletableFuture<TelemetryStore> opening) {
        closeWhenOpen(opening, CLOSE_WAIT_MILLIS);
    }

    /** As {@link #closeWhenOpen(CompletableFuture)}, waiting at most {@code waitMillis}. */
    static void closeWhenOpen(CompletableFuture<TelemetryStore> opening, long waitMillis) {
        try {
            closeQuietly(opening.get(waitMillis, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            // Still opening (another process holds the file): close it when it is done.
            opening.thenAccept(StoreOpening::closeQuietly);
        } catch (ExecutionException | CancellationException e) {
            // It did not open: nothing to close.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            opening.thenAccept(StoreOpening::closeQuietly);
        }
    }

    private CompletableFuture<TelemetryStore> open(TelemetryStoreProvider provider, TelemetrySettings settings) {
        return BackgroundTask.completeOnDaemon(new CompletableFuture<>(), "llm-service-telemetry-open",
                () -> provider.open(settings, clock));
    }

    private static boolean exists(TelemetryStoreProvider provider, TelemetrySettings settings) {
        try {
            return provider.exists(settings);
        } catch (RuntimeException e) {
            return false;   // opening it later reports the problem
        }
    }

    private static boolean sameStore(TelemetrySettings a, TelemetrySettings b) {
        return a.store().equals(b.store()) && a.path().equals(b.path()) && a.privacy() == b.privacy();
    }

    static void closeQuietly(TelemetryStore store) {
        try {
            store.close();
        } catch (RuntimeException ignored) {
            // already failing or unused; nothing to report
        }
    }
}
