package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractCooldownLedgerContractTest;

import java.time.Clock;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/** The PostgreSQL store's cooldowns, on a real PostgreSQL 14, keep the cooldown ledger contract. */
class PostgresCooldownLedgerContractIT extends AbstractCooldownLedgerContractTest {
    private final Map<TelemetryStore, TelemetrySettings> settings = new IdentityHashMap<>();

    @Override
    protected TelemetryStore createStore() {
        TelemetrySettings s = TestDatabases.fresh(PostgresServer.shared());
        TelemetryStore store = PostgresTelemetryStore.open(s, Clock.systemUTC());
        settings.put(store, s);
        return store;
    }

    /** A second store on the same database: a second pool, as another host would open it. */
    @Override
    protected Optional<TelemetryStore> openAgain(TelemetryStore first) {
        return Optional.of(PostgresTelemetryStore.open(settings.get(first), Clock.systemUTC()));
    }
}
