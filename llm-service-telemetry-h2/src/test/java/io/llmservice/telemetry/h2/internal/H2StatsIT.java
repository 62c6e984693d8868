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

/** The stats rollups in H2 (schema v9): retries, deletes, the upgrade of a v8 database, exact costs. */
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
                assertThat(count(c, "SELECT SUM(attempts) FROM stat_rollup")).as("rolled up once").isEqualTo(3);
            }
            StatsRow row = dayByAgent(store).get(0);
            assertThat(row.requests()).isEqualTo(2);
            assertThat(row.attempts()).isEqualTo(3);
            assertThat(row.costUsd()).isEqualByComparingTo("0.06");
        }
    }

    @Test
    void deleteOlderThan_dropsTheQuarterHoursThatEndBeforeIt_keepsTheOneItCutsThroughWhole() throws Exception {
        try (H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC())) {
            store.record(record("old", 1, DAY1, "0.01", 10));
            store.record(record("edge", 1, DAY2.minusSeconds(60), "0.08", 80));   // 09:59, the quarter-hour before
            store.record(record("new", 1, DAY2, "0.02", 20));                     // 10:00
            store.record(record("new", 2, DAY2.plusSeconds(420), "0.04", 40));   // 10:07
            store.flush();

            // The cutoff 10:05 cuts the quarter-hour 10:00-10:15: its log rows before 10:05 go, its rollup stays whole.
            assertThat(store.deleteOlderThan(DAY2.plusSeconds(300))).isEqualTo(3);

            assertThat(store.findByRequest("new")).extracting(InvocationRecord::attempt).containsExactly(2);
            List<StatsRow> rows = dayByAgent(store);
            assertThat(rows).extracting(StatsRow::period, StatsRow::requests, StatsRow::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-12-02", 1L, 2L));
            assertThat(rows.get(0).costUsd()).isEqualByComparingTo("0.06");
            try (Connection c = store.databaseForTests().connection()) {
                assertThat(count(c, "SELECT MIN(bucket_start_ns) FROM stat_rollup"))
                        .isEqualTo(InvocationTable.nanos(DAY2));
            }
        }
    }

    /**
     * A file made by the previous release (schema v8, chunks) with requests of several attempts across
     * tools, models, outcomes and quarter-hours, sub-agent shares, refusals: opened by this build, it is
     * rolled up once, and every report equals the memory store's for the same records.
     */
    @Test
    void upgradeFromV8_rollsUpTheLogOnce_statsEqualTheMemoryStores() throws Exception {
        Path base = dir.resolve("telemetry");
        String url = TestDaemons.embeddedUrl(base);
        Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(url, "sa", "")
                .locations(SchemaMigrator.LOCATION).table(SchemaMigrator.HISTORY_TABLE).target("8").load().migrate();
        List<InvocationRecord> records = LegacyLog.randomRecords(new java.util.Random(8), 3_000);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            LegacyLog.insert(c, records);
            assertThat(count(c, "SELECT COUNT(*) FROM invocation_model_usage")).as("shares in the old log").isPositive();
        }
        List<InvocationRecord> later = List.of(record("after-upgrade", 1, DAY2, "0.25", 3));

        io.llmservice.core.internal.telemetry.InMemoryTelemetryStore memory =
                new io.llmservice.core.internal.telemetry.InMemoryTelemetryStore();
        records.forEach(memory::record);
        later.forEach(memory::record);
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            later.forEach(store::record);
            for (StatsQuery q : LegacyLog.queries()) {
                assertThat(LegacyLog.text(store.stats(q))).as("%s", q).isEqualTo(LegacyLog.text(memory.stats(q)));
            }
            try (Connection c = store.databaseForTests().connection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM stat_rollup_backfill WHERE pending")).isZero();
                assertThat(count(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                        + " WHERE TABLE_NAME LIKE 'INVOCATION_STAT%'")).as("the chunk tables are gone").isZero();
            }
        }
        // Rolled up once: a second open adds nothing.
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            StatsQuery q = LegacyLog.queries().get(0);
            assertThat(LegacyLog.text(store.stats(q))).isEqualTo(LegacyLog.text(memory.stats(q)));
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
