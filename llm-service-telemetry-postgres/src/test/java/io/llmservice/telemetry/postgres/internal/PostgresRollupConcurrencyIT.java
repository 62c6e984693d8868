package io.llmservice.telemetry.postgres.internal;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.telemetry.jdbc.internal.InvocationTable;
import io.llmservice.testkit.StatsOracle;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several writers adding to the same rollup rows of one PostgreSQL at once: no lost update, no
 * deadlock, a key two writers insert together counted once with both contributions.
 */
class PostgresRollupConcurrencyIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /**
     * Four stores (four pools and writers, as four hosts would have) write requests whose attempts
     * all fall into a few dozen rollup rows, in many small committed batches each: the rows then equal
     * a recomputation from every record written.
     */
    @Test
    void fourStoresWritingTheSameKeys_rollupsEqualTheOracle() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(PostgresServer.shared());
        List<List<InvocationRecord>> perHost = new ArrayList<>();
        Random random = new Random(4);
        for (int host = 0; host < 4; host++) {
            perHost.add(records(random, "h" + host, 1_500));
        }
        List<PostgresTelemetryStore> stores = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int host = 0; host < 4; host++) {
                stores.add(PostgresTelemetryStore.open(settings, Clock.systemUTC()));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int host = 0; host < 4; host++) {
                PostgresTelemetryStore store = stores.get(host);
                List<InvocationRecord> mine = perHost.get(host);
                done.add(pool.submit(() -> {
                    go.await();
                    // Small batches: many transactions that lock and insert the same rows as the other hosts'.
                    for (int i = 0; i < mine.size(); i++) {
                        store.record(mine.get(i));
                        if (i % 7 == 6) {
                            store.flush();
                        }
                    }
                    store.flush();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
            List<InvocationRecord> all = new ArrayList<>();
            perHost.forEach(all::addAll);
            StatsOracle oracle = new StatsOracle(all);
            for (StatsDimension by : StatsDimension.values()) {
                StatsQuery q = StatsQuery.builder().period(StatsPeriod.DAY).groupBy(by).zone(ZoneId.of("UTC")).build();
                for (PostgresTelemetryStore store : stores) {
                    assertThat(text(store.stats(q).rows())).as("%s", q).isEqualTo(text(oracle.report(q)));
                }
            }
        } finally {
            pool.shutdownNow();
            stores.forEach(PostgresTelemetryStore::close);
        }
    }

    /**
     * Two transactions insert the same new rollup key; the second waits on the first's uncommitted
     * row and gets a unique violation when it commits. The second then adds to the committed row (its
     * savepoint) instead of failing its batch: the row holds both contributions.
     */
    @Test
    void sameNewKeyInsertedByTwoTransactions_secondAddsToTheFirstsRow() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(PostgresServer.shared());
        try (PostgresTelemetryStore store = PostgresTelemetryStore.open(settings, Clock.systemUTC());
             Connection a = store.database().connection();
             Connection b = store.database().connection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            InvocationTable.write(a, List.of(record("ra", 1, T0, "m1", Outcome.SUCCESS)), false);
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try {
                    InvocationTable.write(b, List.of(record("rb", 1, T0.plusSeconds(5), "m1", Outcome.SUCCESS)), false);
                    b.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(second).as("waits for the first transaction's row").isNotDone();
            a.commit();
            second.get(30, TimeUnit.SECONDS);
            try (Statement s = a.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(attempts), SUM(requests_by_request)"
                         + " FROM stat_rollup")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(1L, 2L, 2L);
            }
            a.commit();
        }
    }

    /** Requests of one to three attempts within one hour over 2 agents, 2 tools, 2 models: a few dozen keys. */
    private static List<InvocationRecord> records(Random random, String prefix, int count) {
        List<InvocationRecord> out = new ArrayList<>();
        for (int request = 0; out.size() < count; request++) {
            String id = prefix + "-" + request;
            int attempts = 1 + random.nextInt(3);
            Instant at = T0.plusSeconds(random.nextInt(3600));
            String agent = random.nextBoolean() ? "a1" : "a2";
            for (int a = 1; a <= attempts && out.size() < count; a++) {
                String model = random.nextBoolean() ? "m1" : "m2";
                Outcome outcome = a == attempts && random.nextInt(4) != 0 ? Outcome.SUCCESS : Outcome.FAILED;
                InvocationRecord.Builder b = InvocationRecord.builder().requestId(id).attempt(a)
                        .startedAt(at.plusSeconds(a * 60L)).agent(agent).team("t")
                        .tool(random.nextBoolean() ? "x" : "y").model(model).outcome(outcome)
                        .latency(Duration.ofMillis(1 + random.nextInt(30_000)))
                        .usage(Usage.of(random.nextInt(1000), random.nextInt(100), 0, 0))
                        .costUsd(BigDecimal.valueOf(random.nextInt(10_000), 6)).costSource(CostSource.COMPUTED);
                if (random.nextInt(5) == 0) {
                    String sub = model.equals("m1") ? "m2" : "m1";
                    List<ModelUsage> shares = List.of(
                            new ModelUsage(model, Usage.of(500, 50, 0, 0), Optional.of(new BigDecimal("0.003"))),
                            new ModelUsage(sub, Usage.of(100, 10, 0, 0), Optional.of(new BigDecimal("0.001"))));
                    b.modelUsage(shares).usage(ModelUsage.totalUsage(shares)).costUsd(new BigDecimal("0.004"));
                }
                out.add(b.build());
            }
        }
        return out;
    }

    private static InvocationRecord record(String id, int attempt, Instant t, String model, Outcome outcome) {
        return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(t).agent("a").tool("x")
                .model(model).outcome(outcome).latency(Duration.ofMillis(100)).usage(Usage.of(1, 1, 0, 0))
                .costUsd(new BigDecimal("0.01")).costSource(CostSource.COMPUTED).build();
    }

    private static List<String> text(List<StatsRow> rows) {
        List<String> out = new ArrayList<>();
        for (StatsRow r : rows) {
            out.add(String.join(" ", r.period(), r.group(), "requests=" + r.requests(), "succeeded=" + r.succeeded(),
                    "attempts=" + r.attempts(), "tokens=" + r.inputTokens() + "/" + r.outputTokens(),
                    "cost=" + r.costUsd().stripTrailingZeros().toPlainString()));
        }
        return out;
    }

    private static List<String> text(Map<StatsOracle.Cell, StatsOracle.Expected> expected) {
        List<String> out = new ArrayList<>();
        expected.forEach((cell, e) -> out.add(String.join(" ", cell.period(), cell.group(), "requests=" + e.requests(),
                "succeeded=" + e.succeeded(), "attempts=" + e.attempts(), "tokens=" + e.input() + "/" + e.output(),
                "cost=" + e.cost().stripTrailingZeros().toPlainString())));
        return out;
    }
}
