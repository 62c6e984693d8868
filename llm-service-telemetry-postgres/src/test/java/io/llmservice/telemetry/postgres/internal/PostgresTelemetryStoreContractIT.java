package io.llmservice.telemetry.postgres.internal;

import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractTelemetryStoreContractTest;

import java.time.Clock;

/** The PostgreSQL store, on a real PostgreSQL 14 (a fresh database per store), keeps the shared telemetry store contract. */
class PostgresTelemetryStoreContractIT extends AbstractTelemetryStoreContractTest {

    @Override
    protected TelemetryStore createStore(Clock clock) {
        return PostgresTelemetryStore.open(TestDatabases.fresh(PostgresServer.shared()), clock);
    }
}
