package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractTelemetryStoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;

/** The H2 store, on a real file database, keeps the shared telemetry store contract. */
class H2TelemetryStoreContractIT extends AbstractTelemetryStoreContractTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }
    private int opened;

    @Override
    protected TelemetryStore createStore(Clock clock) {
        return H2TelemetryStore.open(dir.resolve("telemetry-" + opened++), clock);
    }
}
