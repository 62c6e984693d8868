package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database whose text columns sort by a linguistic collation (as a cluster made with an en_US locale
 * does; here ICU's root collation, since the test cluster is made with locale C): what the store
 * promises in String order stays in String order.
 */
class PostgresCollationIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void cooldownEntries_inStringOrder_whateverTheDatabasesCollation() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        TelemetrySettings settings = TestDatabases.fresh(pg);
        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.fixed(T0, ZoneOffset.UTC))) {
            try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE cooldown ALTER COLUMN tool TYPE TEXT COLLATE \"und-x-icu\"");
            }
            CooldownLedger ledger = store.cooldowns().orElseThrow();
            for (String tool : new String[] {"beta", "Zed", "alpha"}) {
                ledger.failed(new CooldownKey(tool, "m", "fp"), "429", 3, Duration.ofMinutes(5), T0);
            }

            assertThat(ledger.entries()).extracting(CooldownEntry::key).extracting(CooldownKey::tool)
                    .containsExactly("Zed", "alpha", "beta");
        }
    }
}
