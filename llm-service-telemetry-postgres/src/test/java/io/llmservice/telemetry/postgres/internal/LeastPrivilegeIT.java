package io.llmservice.telemetry.postgres.internal;

import io.llmservice.LlmServiceException;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.RateLimitTake;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store under the least privilege of docs/team.md: a role that is no superuser, owns no database
 * and may create nothing but in its own schema (first in its {@code search_path}) runs every part of
 * the store, and its tables land in that schema. A role with no schema of its own is told what to do.
 */
class LeastPrivilegeIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final PostgresServer pg = PostgresServer.shared();

    /** A database owned by the superuser where {@code role} may connect and create only in schema {@code llm}. */
    private TelemetrySettings leastPrivilege(String database, String role, boolean ownSchema) {
        String password = TestDatabases.randomPassword();
        pg.createRole(role, password);
        pg.createDatabase(database);
        pg.execute(database,
                "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC",
                "GRANT CONNECT ON DATABASE " + database + " TO " + role,
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        if (ownSchema) {
            pg.execute(database,
                    "CREATE SCHEMA llm AUTHORIZATION " + role,
                    "ALTER ROLE " + role + " IN DATABASE " + database + " SET search_path = llm");
        }
        return TestDatabases.settings(pg, database, role, password);
    }

    @Test
    void roleOwningOnlyItsSchema_runsTheWholeStore_inThatSchema() throws Exception {
        TelemetrySettings settings = leastPrivilege("least_privilege", "llm_least", true);

        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.fixed(T0, ZoneOffset.UTC))) {
            ReservationOutcome o = store.ledger().reserve(ReservationRequest.builder("team", "daily:2026-12-01")
                    .limitUsd(BigDecimal.ONE).amountUsd(new BigDecimal("0.10")).call("req-1", 1, "a", "claude", "sonnet")
                    .now(T0).expiresAt(T0.plusSeconds(600)).build());
            store.ledger().settle(o.reservationId().orElseThrow(), new BigDecimal("0.07"));
            store.record(PostgresTelemetryStoreProviderIT.record("req-1"));
            assertThat(store.rateLimits().orElseThrow().tryTake(List.of(new RateLimitTake("requests {global}", 10, 1)), T0)
                    .taken()).isTrue();
            store.cooldowns().orElseThrow().failed(new CooldownKey("claude", "sonnet", "fp"), "429", 3,
                    Duration.ofMinutes(5), T0);
            assertThat(store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build())
                    .rows()).singleElement().satisfies(r -> assertThat(r.requests()).isEqualTo(1));
            assertThat(store.ledger().standing("team", "daily:2026-12-01", T0).spentUsd()).isEqualByComparingTo("0.07");
            assertThat(store.deleteOlderThan(T0.minusSeconds(1))).isZero();
            assertThat(store.check().ok()).as("%s", store.check().findings()).isTrue();
        }

        try (Connection c = pg.connectAsSuperuser("least_privilege"); Statement s = c.createStatement()) {
            assertThat(tables(s, "llm")).containsAll(SchemaMigrator.TABLES).contains(SchemaMigrator.HISTORY_TABLE);
            assertThat(tables(s, "public")).isEmpty();
        }
        // The privileges really are that small: the role can create nothing outside its schema.
        try (Connection c = DriverManager.getConnection(settings.url().orElseThrow(), settings.user().orElseThrow(),
                settings.password().orElseThrow().reveal()); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("CREATE TABLE public.intruder (n INT)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
    }

    @Test
    void roleWithoutASchemaItMayCreateIn_isToldWhatToDo() {
        TelemetrySettings settings = leastPrivilege("no_schema", "llm_no_schema", false);

        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("cannot create the tables of telemetry database " + settings.url().orElseThrow()
                                + " (user llm_no_schema): the user may not create in schema public, the first of its"
                                + " search_path. The user needs its own schema, first in its search_path, on which it"
                                + " may CREATE (docs/team.md)")
                        .doesNotContain(settings.password().orElseThrow().reveal()));
    }

    private static Set<String> tables(Statement s, String schema) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + schema + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
