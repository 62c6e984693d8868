package io.llmservice.core.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opens a service's telemetry store on a daemon thread: early, while the configuration is still
 * being validated, when the store's provider says it exists already (so opening it creates
 * nothing); otherwise once the configuration is valid. An early opening that the valid
 * configuration does not name, or that a failed load leaves unused, is closed as soon as it is open.
 *
 * <pre>{@code
 * StoreOpening stores = new StoreOpening(providers, clock);
 * LlmConfig config = loader.load(source, env, stores::startEarly);   // discard() if this throws
 * CompletableFuture<TelemetryStore> store = stores.forConfig(config.policies().telemetry());
 * }</pre>
 *
 * <p>Not thread-safe: one {@code build()} uses it.
 */
final class StoreOpening {
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

    /**
     * Waits for an early opening that will not be used and closes it (a failed one holds nothing).
     * Waiting matters: a process that exits right after a failed load (the command line does) would
     * otherwise leave an H2 file half-opened, its lock file behind.
     */
    void discard() {
        if (early != null) {
            CompletableFuture<TelemetryStore> unused = early;
            early = null;
            try {
                closeQuietly(BackgroundTask.join(unused));
            } catch (RuntimeException e) {
                // it did not open; nothing to close, and the load's own error is the one to report
            }
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
