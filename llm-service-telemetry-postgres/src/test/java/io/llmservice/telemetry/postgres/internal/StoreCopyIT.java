package io.llmservice.telemetry.postgres.internal;

import io.llmservice.LlmServiceException;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.StoreCopyOptions;
import io.llmservice.spi.StoreCopyReport;
import io.llmservice.telemetry.h2.internal.H2TelemetryStore;
import io.llmservice.telemetry.h2.internal.H2TelemetryStoreProvider;
import io.llmservice.telemetry.jdbc.internal.JdbcTelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code llm-service telemetry copy} below the CLI: a real H2 store (its daemon included) copied into a
 * real PostgreSQL 14 by {@link io.llmservice.telemetry.jdbc.internal.StoreCopy}. Every record, the stats
 * and the ledger standing arrive equal; a second run changes nothing; spend other hosts already had is
 * added to, not replaced; a copy killed with SIGKILL half way completes when run again with nothing
 * doubled; live reservations refuse the copy.
 */
class StoreCopyIT {
    private static final List<StatsQuery> QUERIES = List.of(
            StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build(),
            StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.MODEL).build(),
            StatsQuery.builder().period(StatsPeriod.WEEK).groupBy(StatsDimension.TEAM).build());
    private static final String[][] PERIODS = {{CopyFixture.DAILY, CopyFixture.DAY}, {CopyFixture.MONTHLY, CopyFixture.MONTH}};

    private final PostgresServer pg = PostgresServer.shared();
    private final List<Path> h2Stores = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stopDaemons() {
        for (Path p : h2Stores) {
            new H2TelemetryStoreProvider().server(TelemetrySettings.builder().store("h2").path(p).build())
                    .ifPresent(s -> s.stop(Duration.ofSeconds(20)));
        }
    }

    private H2TelemetryStore source(String name) {
        Path p = dir.resolve(name);
        h2Stores.add(p);
        return H2TelemetryStore.open(p, Clock.systemUTC());
    }

    @Test
    void copy_emptyTarget_recordsStatsAndLedgerEqual_secondRunChangesNothing() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            List<String> ids = CopyFixture.records(h2, 300, 1);
            CopyFixture.ledger(h2.ledger(), now);
            long total = count(h2, "invocation");

            List<long[]> progress = new ArrayList<>();
            StoreCopyReport first = h2.copyTo(target, StoreCopyOptions.builder().batchSize(64)
                    .progress((done, all) -> progress.add(new long[] {done, all})).build());

            assertThat(first.sourceRecords()).isEqualTo(total).isGreaterThan(300);
            assertThat(first.recordsCopied()).isEqualTo(total);
            assertThat(first.recordsAlreadyThere()).isZero();
            assertThat(first.periods()).isEqualTo(2);
            assertThat(first.reservationsCopied()).isEqualTo(14);
            assertThat(first.liveReservations()).isZero();
            assertThat(progress).hasSizeGreaterThan(5);
            assertThat(progress.get(progress.size() - 1)).containsExactly(total, total);
            assertSameContent(h2, target, ids, now);
            assertThat(first.spendAddedUsd()).isEqualByComparingTo(
                    standing(h2, 0, now).spentUsd().add(standing(h2, 1, now).spentUsd()));
            Map<String, Long> tables = tables(target);

            StoreCopyReport second = h2.copyTo(target, StoreCopyOptions.builder().batchSize(64).build());

            assertThat(second.recordsCopied()).isZero();
            assertThat(second.recordsAlreadyThere()).isEqualTo(total);
            assertThat(second.spendAddedUsd()).isEqualByComparingTo("0");
            assertThat(second.reservationsCopied()).isZero();
            assertThat(tables(target)).isEqualTo(tables);
            assertSameContent(h2, target, ids, now);
        }
    }

    @Test
    void copy_targetHoldsSpendOfAnotherHost_addsTheSourceSpendOnce() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, 20, 2);
            CopyFixture.ledger(h2.ledger(), now);
            String other = CopyFixture.reserve(target.ledger(), CopyFixture.DAILY, CopyFixture.DAY, "other-host",
                    new BigDecimal("5"), now, now.plusSeconds(600));
            target.ledger().settle(other, new BigDecimal("3.5"));
            BigDecimal sourceSpent = standing(h2, 0, now).spentUsd();

            h2.copyTo(target, StoreCopyOptions.builder().build());
            h2.copyTo(target, StoreCopyOptions.builder().build());

            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(sourceSpent.add(new BigDecimal("3.5")));
            assertThat(standing(target, 1, now).spentUsd()).isEqualByComparingTo(standing(h2, 1, now).spentUsd());
        }
    }

    @Test
    void copy_sourceRestoredFromAnOlderBackup_refusedNamingBudgetAndPeriod_forceNeverLowersSpend() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, 20, 5);
            CopyFixture.ledger(h2.ledger(), now);
            h2.copyTo(target, StoreCopyOptions.builder().build());
            BigDecimal copied = standing(target, 0, now).spentUsd();
            assertThat(copied).isGreaterThan(new BigDecimal("0.5"));
            // What a restore of an older backup looks like: the same store id, less spend in the period.
            try (Connection c = h2.database().connection(); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE budget_period SET spent_usd = spent_usd - 0.5 WHERE budget = '"
                        + CopyFixture.DAILY + "'");
            }
            Map<String, Long> tables = tables(target);

            for (boolean dryRun : new boolean[] {true, false}) {
                assertThatThrownBy(() -> h2.copyTo(target, StoreCopyOptions.builder().dryRun(dryRun).build()))
                        .isInstanceOf(LlmServiceException.class)
                        .hasMessageContaining("holds less spend than an earlier copy took from it (budget "
                                + CopyFixture.DAILY + " period " + CopyFixture.DAY + ": ")
                        .hasMessageContaining("--force");
            }
            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(copied);
            assertThat(tables(target)).isEqualTo(tables);

            StoreCopyReport forced = h2.copyTo(target, StoreCopyOptions.builder().force(true).build());

            assertThat(forced.spendAddedUsd()).isEqualByComparingTo("0");
            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(copied);
            // New spend at the source counts only once it passes what was copied before.
            String late = CopyFixture.reserve(h2.ledger(), CopyFixture.DAILY, CopyFixture.DAY, "late", BigDecimal.TEN,
                    now, now.plusSeconds(600));
            h2.ledger().settle(late, new BigDecimal("1.25"));
            assertThat(h2.copyTo(target, StoreCopyOptions.builder().build()).spendAddedUsd()).isEqualByComparingTo("0.75");
            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(copied.add(new BigDecimal("0.75")));
        }
    }

    @Test
    void copy_fromAHostWhoseClockIsAnHourAhead_stampsTheTargetWithDatabaseTime() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Path p = dir.resolve("ahead");
        h2Stores.add(p);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = H2TelemetryStore.open(p, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, 5, 6);
            CopyFixture.ledger(h2.ledger(), now);
            h2.copyTo(target, StoreCopyOptions.builder().build());

            try (Connection c = target.database().connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1e9)::bigint,"
                         + " (SELECT MAX(updated_at_ns) FROM budget_period), (SELECT MAX(copied_at_ns) FROM store_import)")) {
                rs.next();
                long dbNow = rs.getLong(1);
                assertThat(Duration.ofNanos(Math.abs(dbNow - rs.getLong(2)))).isLessThan(Duration.ofMinutes(10));
                assertThat(Duration.ofNanos(Math.abs(dbNow - rs.getLong(3)))).isLessThan(Duration.ofMinutes(10));
            }
        }
    }

    @Test
    void copy_sourceKeepsBeingUsed_aRerunAddsOnlyWhatIsNew() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            List<String> ids = new ArrayList<>(CopyFixture.records(h2, 50, 3));
            CopyFixture.ledger(h2.ledger(), now);
            h2.copyTo(target, StoreCopyOptions.builder().batchSize(16).build());

            ids.addAll(CopyFixture.records(h2, 40, 4));
            String late = CopyFixture.reserve(h2.ledger(), CopyFixture.DAILY, CopyFixture.DAY, "late", BigDecimal.ONE,
                    now, now.plusSeconds(600));
            h2.ledger().settle(late, new BigDecimal("0.75"));
            StoreCopyReport again = h2.copyTo(target, StoreCopyOptions.builder().batchSize(16).build());

            assertThat(again.recordsCopied()).isEqualTo(count(h2, "invocation") - again.recordsAlreadyThere());
            assertThat(again.spendAddedUsd()).isEqualByComparingTo("0.75");
            assertThat(again.reservationsCopied()).isEqualTo(1);
            assertSameContent(h2, target, ids, now);
        }
    }

    @Test
    void copy_killedHalfWay_runAgain_completesWithNothingDoubled() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        Path h2Path;
        List<String> ids;
        try (H2TelemetryStore h2 = source("telemetry")) {
            h2Path = h2.path();
            ids = CopyFixture.records(h2, 400, 5);
            CopyFixture.ledger(h2.ledger(), now);
        }
        PostgresTelemetryStore.open(db, Clock.systemUTC()).close(); // the schema, made before the child starts
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                StoreCopyMain.class.getName(), h2Path.toString(), db.url().orElseThrow(), db.user().orElseThrow(), "50")
                .redirectError(dir.resolve("child.err").toFile());
        pb.environment().put("COPY_PASSWORD", db.password().orElseThrow().reveal());
        Process child = pb.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            int lines = 0;
            String line;
            // "batch 0 N" comes before the first batch: after three lines two batches are committed.
            while (lines < 3 && (line = out.readLine()) != null) {
                if (line.startsWith("batch ")) {
                    lines++;
                }
            }
            assertThat(lines).as("child stderr: %s", java.nio.file.Files.readString(dir.resolve("child.err")))
                    .isEqualTo(3);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no rollback, no close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }

        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            long total = count(h2, "invocation");
            long partial = count(target, "invocation");
            assertThat(partial).isIn(100L, 150L);
            assertThat(count(target, "store_import_progress")).isEqualTo(1);
            assertThat(count(target, "store_import")).isZero();

            StoreCopyReport rerun = h2.copyTo(target, StoreCopyOptions.builder().batchSize(50).build());

            assertThat(rerun.recordsCopied()).isEqualTo(total - partial);
            assertThat(rerun.recordsAlreadyThere()).as("resumed after the last committed batch").isZero();
            assertThat(count(target, "store_import_progress")).isZero();
            assertSameContent(h2, target, ids, now);
        }
    }

    @Test
    void copy_sourceHoldsLiveReservations_refusedAndNothingCopied_forceCopiesTheRest() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, 30, 6);
            CopyFixture.ledger(h2.ledger(), now);
            String running = CopyFixture.reserve(h2.ledger(), CopyFixture.DAILY, CopyFixture.DAY, "running",
                    new BigDecimal("0.5"), now, now.plusSeconds(3600));

            assertThatThrownBy(() -> h2.copyTo(target, StoreCopyOptions.builder().build()))
                    .isInstanceOf(LlmServiceException.class)
                    .hasMessageContaining("the store at " + h2.path() + " holds 1 live reservation(s) (platform-daily: 1):"
                            + " calls are still running against it")
                    .hasMessageContaining("Nothing was copied")
                    .hasMessageContaining("--force");
            assertThat(tables(target).values()).allMatch(n -> n == 0);

            StoreCopyReport forced = h2.copyTo(target, StoreCopyOptions.builder().force(true).build());

            assertThat(forced.liveReservations()).isEqualTo(1);
            assertThat(forced.recordsCopied()).isEqualTo(count(h2, "invocation"));
            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(standing(h2, 0, now).spentUsd());
            assertThat(standing(target, 0, now).reservedUsd()).isEqualByComparingTo("0");

            // The call ends; the same copy run again brings its spend and its reservation.
            h2.ledger().settle(running, new BigDecimal("0.3"));
            StoreCopyReport after = h2.copyTo(target, StoreCopyOptions.builder().build());
            assertThat(after.spendAddedUsd()).isEqualByComparingTo("0.3");
            assertThat(after.reservationsCopied()).isEqualTo(1);
            assertThat(standing(target, 0, now).spentUsd()).isEqualByComparingTo(standing(h2, 0, now).spentUsd());
        }
    }

    @Test
    void copy_dryRun_countsAndWritesNothing() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        Instant now = Instant.now();
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, 40, 7);
            CopyFixture.ledger(h2.ledger(), now);

            StoreCopyReport dry = h2.copyTo(target, StoreCopyOptions.builder().dryRun(true).batchSize(10).build());

            assertThat(dry.dryRun()).isTrue();
            assertThat(dry.recordsCopied()).isZero();
            assertThat(dry.recordsAlreadyThere()).isZero();
            assertThat(dry.sourceRecords()).isEqualTo(count(h2, "invocation"));
            assertThat(dry.reservationsCopied()).isEqualTo(14);
            assertThat(dry.spendAddedUsd()).isEqualByComparingTo(
                    standing(h2, 0, now).spentUsd().add(standing(h2, 1, now).spentUsd()));
            assertThat(tables(target).values()).allMatch(n -> n == 0);
        }
    }

    /**
     * A bigger copy, timed: {@code -Dcopy.requests=100000} for the figures in docs/telemetry.md (default
     * 3,000 requests, about 4,500 records). The copy and a second run (nothing to copy) are printed.
     */
    @Test
    void copy_manyRecords_timed_countsAndStatsEqual() {
        int requests = Integer.getInteger("copy.requests", 3_000);
        TelemetrySettings db = TestDatabases.fresh(pg);
        try (H2TelemetryStore h2 = source("telemetry");
             PostgresTelemetryStore target = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            CopyFixture.records(h2, requests, 8);
            long total = count(h2, "invocation");

            long t0 = System.nanoTime();
            StoreCopyReport first = h2.copyTo(target, StoreCopyOptions.builder().build());
            long t1 = System.nanoTime();
            StoreCopyReport second = h2.copyTo(target, StoreCopyOptions.builder().build());
            long t2 = System.nanoTime();
            System.out.printf("StoreCopyIT: %d requests, %d records: copy %.1f s (%.0f records/s), again %.1f s%n",
                    requests, total, (t1 - t0) / 1e9, total / ((t1 - t0) / 1e9), (t2 - t1) / 1e9);

            assertThat(first.recordsCopied()).isEqualTo(total);
            assertThat(second.recordsAlreadyThere()).isEqualTo(total);
            assertThat(tables(target).get("invocation")).isEqualTo(total);
            for (StatsQuery q : QUERIES) {
                assertThat(target.stats(q).rows()).as(q.toString()).isEqualTo(h2.stats(q).rows());
            }
        }
    }

    /** Same records for every request, same stats, same standing and reservation history. */
    private static void assertSameContent(H2TelemetryStore h2, PostgresTelemetryStore target, List<String> ids,
                                          Instant now) {
        for (String id : ids) {
            assertThat(target.findByRequest(id)).as(id).isEqualTo(h2.findByRequest(id)).isNotEmpty();
        }
        assertThat(ids.stream().flatMap(id -> target.findByRequest(id).stream()))
                .as("records with and without the route input they were routed from")
                .anySatisfy(r -> assertThat(r.routeInput()).isPresent())
                .anySatisfy(r -> assertThat(r.routeInput()).isEmpty());
        assertThat(count(target, "invocation")).isEqualTo(count(h2, "invocation"));
        assertThat(count(target, "invocation_label")).isEqualTo(count(h2, "invocation_label"));
        assertThat(count(target, "invocation_model_usage")).isEqualTo(count(h2, "invocation_model_usage"));
        for (StatsQuery q : QUERIES) {
            assertThat(target.stats(q).rows()).as(q.toString()).isEqualTo(h2.stats(q).rows()).isNotEmpty();
        }
        for (int i = 0; i < PERIODS.length; i++) {
            BudgetStanding t = standing(target, i, now);
            BudgetStanding s = standing(h2, i, now);
            assertThat(t.spentUsd()).isEqualByComparingTo(s.spentUsd());
            assertThat(t.reservedUsd()).isEqualByComparingTo(s.reservedUsd());
            assertThat(t.expiryChargedUsd()).isEqualByComparingTo(s.expiryChargedUsd());
            assertThat(t.expiryCharges()).isEqualTo(s.expiryCharges());
        }
        assertThat(target.ledger().recentCosts("reviewer", "claude-code", "claude-sonnet-4-5", 50))
                .isEqualTo(h2.ledger().recentCosts("reviewer", "claude-code", "claude-sonnet-4-5", 50));
    }

    private static BudgetStanding standing(JdbcTelemetryStore store, int period, Instant now) {
        return store.ledger().standing(PERIODS[period][0], PERIODS[period][1], now);
    }

    static long count(JdbcTelemetryStore store, String table) {
        try (Connection c = store.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Row counts of the tables a copy writes. */
    static Map<String, Long> tables(JdbcTelemetryStore store) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String t : List.of("invocation", "invocation_label", "invocation_model_usage", "stat_rollup",
                "budget_period", "budget_reservation", "store_import", "store_import_progress")) {
            out.put(t, count(store, t));
        }
        return out;
    }
}
