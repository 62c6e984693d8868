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

    /**
     * 25,000 instead of 100,000, as for H2 (writing the records was most of the test's 15 s): every
     * kind of record the generator makes still occurs hundreds of times, and the in-memory store keeps
     * the 100,000-record run of the same oracle. (The writer waiting on a full queue, which 100,000
     * records also showed, is shown by the H2 run with a small queue: the same BatchingWriter.)
     */
    @Override
    protected int randomRecords() {
        return 25_000;
    }
}
