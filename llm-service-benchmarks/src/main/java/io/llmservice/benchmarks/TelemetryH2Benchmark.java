package io.llmservice.benchmarks;

import io.llmservice.CostSource;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.Usage;
import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The H2 telemetry store against SPEC §8: stats "month by agent" and "day by model" over
 * 1,000,000 records (bar ≤ 1 s each), the caller-side cost of {@code record()} (≤ 10 µs p99) and
 * the sustained writer rate into a file H2 (≥ 50,000 records/s). Each state uses its own file
 * database in a temporary directory, deleted at the end.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar TelemetryH2Benchmark -wi 2 -i 3 -f 1}
 */
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class TelemetryH2Benchmark {
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");

    /** A file H2 filled once with 1,000,000 records over six months: 50 agents, 20 models, 10% fallbacks. */
    @State(Scope.Benchmark)
    public static class Filled {
        static final int RECORDS = 1_000_000;
        Path dir;
        TelemetryStore store;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = Files.createTempDirectory("llm-telemetry-bench");
            store = open(dir);
            long spanNanos = Duration.ofDays(182).toNanos();
            int request = 0;
            for (int i = 0; i < RECORDS; request++) {
                Instant t = START.plusNanos(spanNanos / RECORDS * i);
                boolean fallback = request % 10 == 0;
                store.record(record("r" + request, 1, t, request % 50, request % 20,
                        fallback ? Outcome.FAILED : Outcome.SUCCESS, 500 + (i % 997)));
                i++;
                if (fallback && i < RECORDS) {
                    store.record(record("r" + request, 2, t.plusSeconds(5), request % 50, (request + 1) % 20,
                            Outcome.SUCCESS, 700 + (i % 991)));
                    i++;
                }
            }
            store.flush();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            delete(dir);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public StatsReport statsMonthByAgent(Filled f) {
        return f.store.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT)
                .zone(ZoneId.of("Europe/Berlin")).build());
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public StatsReport statsDayByModel(Filled f) {
        return f.store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.MODEL)
                .zone(ZoneId.of("America/New_York")).build());
    }

    /** An empty file H2 taking writes. */
    @State(Scope.Benchmark)
    public static class Writing {
        Path dir;
        TelemetryStore store;
        long next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("llm-telemetry-bench");
            store = TelemetryH2Benchmark.open(dir);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            store.close();
            delete(dir);
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
        w.store.record(p.nextRecord);
    }

    static final int BATCH = 20_000;

    /** Records/s into the file: 20,000 records, then flush() (commit and checkpoint to the file). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public void sustainedWriteRate(Writing w) {
        for (int i = 0; i < BATCH; i++) {
            long n = w.next++;
            w.store.record(record("s" + n, 1, START.plusMillis(n), (int) (n % 50), (int) (n % 20), Outcome.SUCCESS, 900));
        }
        w.store.flush();
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
