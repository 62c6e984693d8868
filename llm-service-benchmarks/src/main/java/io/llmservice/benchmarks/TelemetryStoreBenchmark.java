package io.llmservice.benchmarks;

import io.llmservice.Complexity;
import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.Usage;
import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import io.llmservice.spi.RollupKey;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.telemetry.h2.internal.H2TelemetryStoreProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A telemetry store against SPEC §8, {@code @Param store} {@code h2} (a file database through its daemon)
 * or {@code postgres} (a real PostgreSQL 14 started by the benchmark, {@link PostgresBench}): stats
 * "month by agent" and "day by model" over 1,000,000 records (bar ≤ 1 s each), the caller-side cost of
 * {@code record()} (≤ 10 µs p99) and the sustained writer rate (≥ 50,000 records/s). Each state has its
 * own database, deleted at the end.
 *
 * <p>The 1,000,000 records ({@link Spread}) are written once per trial through the store's own writer;
 * the set-up prints how long that took (the writer's rate on a store that grows to a million rows) and how
 * many rollup keys the records make.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar 'TelemetryStoreBenchmark.stats' -p store=postgres}
 * (all of it: {@code TelemetryStoreBenchmark -wi 2 -i 3 -f 1}).
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class TelemetryStoreBenchmark {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    /** A store filled once with the {@link Spread} of 1,000,000 records. */
    @State(Scope.Benchmark)
    public static class Filled {
        @Param({"h2", "postgres"})
        public String store;

        /** How many records the store holds (the bar is for 1,000,000; fewer for a quick look). */
        @Param({"1000000"})
        public int records;

        Opened opened;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            opened = Opened.of(store);
            long t0 = System.nanoTime();
            Spread.Counts counts = Spread.generate(records, opened.store::record);
            opened.store.flush();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%n# %s: wrote %,d records (%,d requests) through the store's writer in %.1f s: "
                            + "%,.0f records/s; %,d rollup keys (%d-minute buckets)%n", store, counts.records(),
                    counts.requests(), seconds, counts.records() / seconds, counts.rollupKeys(),
                    RollupKey.BUCKET.toMinutes());
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            opened.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public StatsReport statsMonthByAgent(Filled f) {
        return f.opened.store.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT)
                .zone(ZoneId.of("Europe/Berlin")).build());
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public StatsReport statsDayByModel(Filled f) {
        return f.opened.store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.MODEL)
                .zone(ZoneId.of("America/New_York")).build());
    }

    /**
     * Streams every record of the month, as {@code whatif} replays them ({@code scanRecords}); counts
     * them and keeps none, so the heap the scan needs is what the run's {@code -Xmx} allows.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long scanRecordsMonth(Filled f) {
        long[] seen = {0, 0};
        f.opened.store.scanRecords(START, START.plus(Spread.SPAN), r -> {
            seen[0]++;
            seen[1] += r.routeInput().orElseThrow().estimatedPromptTokens();
        });
        if (seen[0] != f.records) {
            throw new IllegalStateException("scanned " + seen[0] + " records of " + f.records);
        }
        return seen[1];
    }

    /** An empty store taking writes. */
    @State(Scope.Benchmark)
    public static class Writing {
        @Param({"h2", "postgres"})
        public String store;

        Opened opened;
        long next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            opened = Opened.of(store);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            opened.close();
        }
    }

    /** One caller's record() at 40,000 calls/s (below the writer's rate, as in service): the next record and the pacing are set up outside the measurement. */
    @State(Scope.Thread)
    public static class Paced {
        static final long INTERVAL_NANOS = 25_000;
        long last;
        InvocationRecord nextRecord;

        @Setup(Level.Invocation)
        public void pace(Writing w) {
            nextRecord = record("c" + w.next++, 1, START, 1, 1, Outcome.SUCCESS, 800);
            while (System.nanoTime() - last < INTERVAL_NANOS) {
                Thread.onSpinWait();
            }
            last = System.nanoTime();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void recordCallerSide(Writing w, Paced p) {
        w.opened.store.record(p.nextRecord);
    }

    static final int BATCH = 20_000;

    /** Records/s into the store: 20,000 records, then flush() (committed; for H2 also checkpointed to the file). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void sustainedWriteRate(Writing w) {
        for (int i = 0; i < BATCH; i++) {
            long n = w.next++;
            w.opened.store.record(record("s" + n, 1, START.plusMillis(n), (int) (n % 50), (int) (n % 20), Outcome.SUCCESS, 900));
        }
        w.opened.store.flush();
    }

    /** A store of either kind and what to clean up after it. */
    record Opened(TelemetryStore store, Path dir, PostgresBench pg) {
        static Opened of(String store) throws IOException {
            return switch (store) {
                case "h2" -> {
                    Path dir = Files.createTempDirectory("llm-telemetry-bench");
                    yield new Opened(open(dir), dir, null);
                }
                case "postgres" -> {
                    PostgresBench pg = PostgresBench.start("off");
                    try {
                        yield new Opened(pg.open(TelemetrySettings.DEFAULT_POOL_SIZE), null, pg);
                    } catch (RuntimeException e) {
                        pg.close();
                        throw e;
                    }
                }
                default -> throw new IllegalArgumentException("store '" + store + "': use h2 or postgres");
            };
        }

        void close() throws IOException {
            try {
                store.close();
            } finally {
                if (pg != null) {
                    pg.close();
                }
                if (dir != null) {
                    delete(dir);
                }
            }
        }
    }

    /**
     * A month of a team's traffic, deterministic (fixed seed): 30 days from {@link #START}, requests evenly
     * spread with jitter; 10 agents in 3 teams (4, 3, 3); 3 tools with 2 models each; each agent has a
     * primary model and a fallback on another tool. A request's first attempt succeeds 90%, fails 5% and
     * times out 2% (both followed by a second attempt on the fallback, which succeeds 95%); 2% are refused
     * by a budget and 1% by a rate limit (attempt 0, nothing run). 15% of the claude-code attempts report
     * a sub-agent's share on claude-haiku-4-5. Latencies 2–60 s, skewed short.
     */
    static final class Spread {
        static final String[] TEAMS = {"platform", "payments", "mobile"};
        static final String[] TOOLS = {"claude-code", "codex", "gemini-cli"};
        static final String[] MODELS = {"claude-sonnet-4-5", "claude-opus-4-1", "gpt-5-codex", "gpt-5",
                "gemini-2.5-pro", "gemini-2.5-flash"};
        static final String SUB_AGENT_MODEL = "claude-haiku-4-5";
        static final int AGENTS = 10;
        static final Duration SPAN = Duration.ofDays(30);

        record Counts(long records, long requests, long rollupKeys) {
        }

        private Spread() {
        }

        static Counts generate(int records, Consumer<InvocationRecord> sink) {
            SplittableRandom random = new SplittableRandom(16);
            Set<RollupKey> keys = new HashSet<>();
            long stepNanos = SPAN.toNanos() / records * 100 / 107; // about 1.07 records per request
            long written = 0;
            long request = 0;
            while (written < records) {
                Instant t = START.plusNanos(stepNanos * request + random.nextLong(stepNanos));
                if (!t.isBefore(START.plus(SPAN))) {
                    t = START.plus(SPAN).minusSeconds(1);
                }
                int agent = random.nextInt(AGENTS);
                int primary = agent % MODELS.length;
                int fallback = (primary + 2 + agent % 2 * 2) % MODELS.length; // a model of another tool
                String id = "req-" + request++;
                double roll = random.nextDouble();
                List<InvocationRecord> attempts = new ArrayList<>(2);
                if (roll < 0.02) {
                    attempts.add(refusal(id, t, agent, primary, Outcome.BUDGET_BLOCKED));
                } else if (roll < 0.03) {
                    attempts.add(refusal(id, t, agent, primary, Outcome.RATE_LIMITED));
                } else {
                    Outcome first = roll < 0.93 ? Outcome.SUCCESS : roll < 0.98 ? Outcome.FAILED : Outcome.TIMEOUT;
                    InvocationRecord a1 = attempt(random, id, 1, t, agent, primary, first);
                    attempts.add(a1);
                    if (first != Outcome.SUCCESS) {
                        Outcome second = random.nextDouble() < 0.95 ? Outcome.SUCCESS : Outcome.FAILED;
                        attempts.add(attempt(random, id, 2, t.plus(a1.latency()), agent, fallback, second));
                    }
                }
                for (InvocationRecord r : attempts) {
                    if (written == records) {
                        break;
                    }
                    sink.accept(r);
                    written++;
                    RollupKey key = new RollupKey(RollupKey.bucketStart(r.startedAt()), r.agent(),
                            r.team().orElse(""), r.tool(), r.model(), r.outcome());
                    keys.add(key);
                    for (ModelUsage share : r.modelUsage()) {
                        keys.add(key.withModel(share.model()));
                    }
                }
            }
            return new Counts(written, request, keys.size());
        }

        private static InvocationRecord attempt(SplittableRandom random, String id, int attempt, Instant t,
                                                int agent, int model, Outcome outcome) {
            boolean success = outcome == Outcome.SUCCESS;
            // 2 s .. 60 s, most calls short: the square of a uniform number
            double u = random.nextDouble();
            long latencyMillis = outcome == Outcome.TIMEOUT ? 120_000 : 2_000 + (long) (58_000 * u * u);
            long input = 2_000 + random.nextInt(30_000);
            long output = success ? 200 + random.nextInt(4_000) : random.nextInt(200);
            long cacheRead = random.nextInt(4) == 0 ? 0 : random.nextInt(60_000);
            Usage usage = Usage.of(input, output, cacheRead, 0);
            BigDecimal cost = BigDecimal.valueOf(input * 3 + output * 15 + cacheRead / 3, 6)
                    .setScale(6, RoundingMode.HALF_UP);
            InvocationRecord.Builder b = base(id, attempt, t, agent, model, outcome)
                    .exitCode(success ? 0 : 1).usage(usage).costUsd(cost).costSource(CostSource.COMPUTED)
                    .reservedUsd(new BigDecimal("0.20")).latency(Duration.ofMillis(latencyMillis))
                    .errorSummary(success ? "" : outcome == Outcome.TIMEOUT ? "timed out after 120 s" : "exit 1");
            if (!success) {
                b.errorCode(outcome == Outcome.TIMEOUT ? "LLM-031" : "LLM-030");
            }
            if (model / 2 == 0 && random.nextInt(100) < 15) {
                Usage sub = Usage.of(input / 4, output / 4, 0, 0);
                BigDecimal subCost = cost.divide(BigDecimal.TEN, 6, RoundingMode.HALF_UP);
                Usage main = Usage.of(input - input / 4, output - output / 4, cacheRead, 0);
                b.costSource(CostSource.TOOL_REPORTED).modelUsage(List.of(
                        ModelUsage.of(MODELS[model], main, cost.subtract(subCost)),
                        ModelUsage.of(SUB_AGENT_MODEL, sub, subCost)));
            }
            return b.build();
        }

        private static InvocationRecord refusal(String id, Instant t, int agent, int model, Outcome outcome) {
            return base(id, 0, t, agent, model, outcome).usage(Usage.of(0, 0, 0, 0)).costSource(CostSource.COMPUTED)
                    .latency(Duration.ZERO).errorCode(outcome == Outcome.BUDGET_BLOCKED ? "LLM-020" : "LLM-021")
                    .errorSummary(outcome == Outcome.BUDGET_BLOCKED ? "budget team exhausted" : "rate limit").build();
        }

        private static InvocationRecord.Builder base(String id, int attempt, Instant t, int agent, int model,
                                                     Outcome outcome) {
            return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(t).agent("agent-" + agent)
                    .team(TEAMS[agent < 4 ? 0 : agent < 7 ? 1 : 2]).tool(TOOLS[model / 2]).model(MODELS[model])
                    .outcome(outcome).routeInput(routeInput(id, agent));
        }

        /** What routing decided request {@code id} from: the same for each of its attempts. */
        private static RouteInput routeInput(String id, int agent) {
            int h = id.hashCode() & 0x7fffffff;
            return RouteInput.builder(500 + h % 40_000).complexity(Complexity.values()[(h >>> 16) % 3])
                    .tool(java.util.Optional.ofNullable(agent == 0 ? TOOLS[0] : null)).build();
        }
    }

    static TelemetryStore open(Path dir) {
        return new H2TelemetryStoreProvider().open(TelemetrySettings.builder().store("h2").path(dir.resolve("telemetry")).privacy(Privacy.METADATA).build(),
                Clock.systemUTC());
    }

    static InvocationRecord record(String id, int attempt, Instant t, int agent, int model, Outcome outcome,
                                   long latencyMillis) {
        return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(t).agent("agent-" + agent)
                .team("team-" + agent % 5).tool("tool-" + model % 3).model("model-" + model).outcome(outcome)
                .exitCode(0).usage(Usage.of(1200, 300, 4000, 0)).costUsd(new BigDecimal("0.0042"))
                .costSource(CostSource.COMPUTED).reservedUsd(new BigDecimal("0.0050"))
                .latency(Duration.ofMillis(latencyMillis)).build();
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
