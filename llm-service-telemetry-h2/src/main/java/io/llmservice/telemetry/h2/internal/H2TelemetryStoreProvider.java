package io.llmservice.telemetry.h2.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.StoreServer;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code store: h2}: an H2 file database at {@code policies.telemetry.path} (data in
 * {@code <path>.mv.db}), served to every process of its user by a per-store daemon
 * ({@link StoreDaemon}) that the first of them starts.
 *
 * <pre>{@code
 * policies:
 *   telemetry: {store: h2, path: ~/llm-data/telemetry, privacy: metadata}
 * }</pre>
 */
public final class H2TelemetryStoreProvider implements TelemetryStoreProvider {
    public static final String TYPE = "h2";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TelemetryStore open(TelemetrySettings settings, Clock clock) {
        return H2TelemetryStore.open(settings.path(), clock);
    }

    /** A store whose data file is missing fails without being created. */
    @Override
    public StoreCheck check(TelemetrySettings settings, Clock clock) {
        StoreFiles files = new StoreFiles(settings.path());
        if (!Files.exists(files.data())) {
            return new StoreCheck(false, List.of("no 'h2' store at " + settings.path() + ": " + files.data()
                    + " does not exist (nothing was created); check policies.telemetry.path"));
        }
        return TelemetryStoreProvider.super.check(settings, clock);
    }

    /** The store's daemon, for {@code llm-service daemon status|stop}. */
    @Override
    public Optional<StoreServer> server(TelemetrySettings settings) {
        return Optional.of(new H2StoreServer(new StoreFiles(settings.path())));
    }
}
