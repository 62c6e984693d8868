package io.llmservice.telemetry.h2.internal;

import io.llmservice.telemetry.jdbc.internal.InvocationTable;

import io.llmservice.CostSource;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packed stats chunks (schema v3): retries, partial deletes, the upgrade of a v2 database, cost packing. */
class H2StatsIT {
    private static final Instant DAY1 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dir;

    @org.junit.jupiter.api.AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Test
    void retryOfACommittedBatch_writesNothingTwice() throws Exception {
        try (H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC())) {
            List<InvocationRecord> batch = List.of(record("a", 1, DAY1, "0.01", 10), record("a", 2, DAY1, "0.02", 20),
                    record("b", 1, DAY1, "0.03", 30));
            try (Connection c = store.databaseForTests().connection()) {
                c.setAutoCommit(false);
                InvocationTable.write(c, batch, false);
                c.commit();
                // What the writer does when the acknowledgement of that commit was lost.
                InvocationTable.write(c, batch, true);
                c.commit();
                assertThat(count(c, "SELECT COUNT(*) FROM invocation")).isEqualTo(3);
                assertThat(count(c, "SELECT SUM(row_count) FROM invocation_stat_chunk")).isEqualTo(3);
            }
            StatsRow row = dayByAgent(store).get(0);
            assertThat(row.requests()).isEqualTo(2);
            assertThat(row.attempts()).isEqualTo(3);
            assertThat(row.costUsd()).isEqualByComparingTo("0.06");
        }
    }

    @Test
    void deleteOlderThan_cutsThroughAChunk_statsKeepOnlyTheNewerRows() throws Exception {
        try (H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC())) {
            // One flush: one batch, one chunk spanning both days.
            store.record(record("old", 1, DAY1, "0.01", 10));
            store.record(record("new", 1, DAY2, "0.02", 20));
            store.record(record("new", 2, DAY2.plusSeconds(1), "0.04", 40));
            store.flush();

            assertThat(store.deleteOlderThan(DAY2)).isEqualTo(1);

            List<StatsRow> rows = dayByAgent(store);
            assertThat(rows).extracting(StatsRow::period, StatsRow::requests, StatsRow::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-12-02", 1L, 2L));
            assertThat(rows.get(0).costUsd()).isEqualByComparingTo("0.06");
            assertThat(rows.get(0).p50Latency()).isEqualTo(Duration.ofMillis(20));
            assertThat(rows.get(0).p95Latency()).isEqualTo(Duration.ofMillis(40));
            try (Connection c = store.databaseForTests().connection()) {
                assertThat(count(c, "SELECT SUM(row_count) FROM invocation_stat_chunk")).isEqualTo(2);
            }
        }
    }

    @Test
    void upgradeFromV2_packsTheRowsLoggedBefore() throws Exception {
        Path base = dir.resolve("telemetry");
        String url = TestDaemons.embeddedUrl(base);
        Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(url, "sa", "")
                .locations(SchemaMigrator.LOCATION).table(SchemaMigrator.HISTORY_TABLE).target("2").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            for (String id : new String[]{"v2-a", "v2-b"}) {
                s.executeUpdate("INSERT INTO invocation (request_id, attempt, started_at_ns, agent, team, tool, model,"
                        + " outcome, input_tokens, cost_usd, cost_source, latency_ns, error_summary) VALUES ('" + id
                        + "', 1, " + InvocationTable.nanos(DAY1) + ", 'agent', NULL, 'tool', 'model', 'success', 7,"
                        + " 0.5, 'computed', 1000000, '')");
            }
        }

        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(record("v3", 1, DAY1, "0.25", 3));
            StatsRow row = dayByAgent(store).get(0);
            assertThat(row.requests()).isEqualTo(3);
            assertThat(row.inputTokens()).isEqualTo(14 + 1);
            assertThat(row.costUsd()).isEqualByComparingTo("1.25");
        }
        // Packed once: a second open leaves the chunks as they are.
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(dayByAgent(store).get(0).requests()).isEqualTo(3);
        }
    }

    @Test
    void cost_isRoundedTo12DecimalsLikeTheLogColumn_andNegativesAndBigSumsAreExact() {
        try (H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC())) {
            store.record(record("r1", 1, DAY1, "0.0000000000015", 1));     // 13 decimals: half-up to 0.000000000002
            store.record(record("r2", 1, DAY1, "-0.5", 1));
            store.record(record("r3", 1, DAY1, "9000000", 1));
            store.record(record("r4", 1, DAY1, "9000000", 1));               // the sum overflows a long at scale 12
            store.record(record("r5", 1, DAY1, "20000000", 1));              // one cost beyond a long at scale 12
            assertThat(dayByAgent(store).get(0).costUsd()).isEqualByComparingTo("37999999.500000000002");
            assertThat(store.findByRequest("r1").get(0).costUsd()).contains(new BigDecimal("0.000000000002"));
        }
    }

    private static List<StatsRow> dayByAgent(H2TelemetryStore store) {
        return store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                .zone(ZoneOffset.UTC).build()).rows();
    }

    private static long count(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static InvocationRecord record(String id, int attempt, Instant t, String cost, long latencyMillis) {
        return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(t).agent("agent").tool("tool")
                .model("model").outcome(Outcome.SUCCESS).exitCode(0).usage(Usage.of(1, 0, 0, 0))
                .costUsd(new BigDecimal(cost)).costSource(CostSource.COMPUTED)
                .latency(Duration.ofMillis(latencyMillis)).build();
    }
}
