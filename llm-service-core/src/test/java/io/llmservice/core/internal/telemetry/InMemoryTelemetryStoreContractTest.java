package io.llmservice.core.internal.telemetry;

import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractTelemetryStoreContractTest;

import java.time.Clock;

/** The in-memory store keeps the shared telemetry store contract. */
class InMemoryTelemetryStoreContractTest extends AbstractTelemetryStoreContractTest {
    @Override
    protected TelemetryStore createStore(Clock clock) {
        return new InMemoryTelemetryStore();
    }
}
