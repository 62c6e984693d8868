package io.llmservice.spi;

import io.llmservice.config.TelemetrySettings;

import java.time.Clock;

/**
 * Opens the {@link TelemetryStore} named by {@code policies.telemetry.store}.
 *
 * <pre>{@code
 * public final class PostgresStoreProvider implements TelemetryStoreProvider {
 *     public String type() { return "postgres"; }
 *     public TelemetryStore open(TelemetrySettings settings, Clock clock) { return PostgresStore.open(settings, clock); }
 * }
 * // META-INF/services/io.llmservice.spi.TelemetryStoreProvider: com.example.PostgresStoreProvider
 * // YAML: policies: {telemetry: {store: postgres, path: ..., privacy: metadata}}
 * }</pre>
 *
 * <p>Must have a public no-argument constructor and be thread-safe.
 */
public interface TelemetryStoreProvider {

    /** The YAML name, e.g. {@code memory} or {@code h2}. */
    String type();

    /**
     * Opens (creating or migrating as needed) the store.
     *
     * @throws io.llmservice.LlmServiceException naming the path when it cannot be opened
     */
    TelemetryStore open(TelemetrySettings settings, Clock clock);

    /**
     * The process this provider runs to share a store between processes (the H2 store's daemon),
     * for {@code llm-service daemon status|stop}; empty (the default) when it runs none. Starts
     * nothing.
     */
    default java.util.Optional<StoreServer> server(TelemetrySettings settings) {
        return java.util.Optional.empty();
    }
}
