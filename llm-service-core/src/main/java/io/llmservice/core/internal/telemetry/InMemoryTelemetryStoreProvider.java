package io.llmservice.core.internal.telemetry;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;

/** {@code store: memory}: records kept in the JVM, lost when it exits. */
public final class InMemoryTelemetryStoreProvider implements TelemetryStoreProvider {
    public static final String TYPE = "memory";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TelemetryStore open(TelemetrySettings settings, Clock clock) {
        return new InMemoryTelemetryStore();
    }
}
