package io.llmservice.spi;

import io.llmservice.config.TelemetrySettings;

import java.time.Clock;

/** Opens the {@link TelemetryStore} named by {@code policies.telemetry.store}. */
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
     * Whether the store these settings name exists already, so that opening it creates nothing.
     * A service then opens it while the rest of its configuration is still being validated, and
     * closes it unused if the configuration turns out to be invalid; otherwise the store is opened
     * only once the configuration is valid. The default, {@code false}, always waits.
     */
    default boolean exists(TelemetrySettings settings) {
        return false;
    }
}
