package io.llmservice.benchmarks;

import io.llmservice.LlmService;
import io.llmservice.ReportQuery;
import io.llmservice.SpendReport;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.ConfigSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * {@code llm-service report} over 1,000,000 recorded invocations (issue 17's bar: ≤ 5 s, bounded
 * memory): {@link LlmService#report} of the month by agent, with three budgets to burn down (two global; one of a team
 * of the synthetic configuration that the spread does not use: its scope is checked against every row all the same), and
 * {@link LlmService#writeReport} of it into a writer that only counts characters. The store is filled
 * once per trial with {@link TelemetryStoreBenchmark}'s spread of records (30 days from 2026-11-01,
 * 10 agents, 3 teams, 3 tools, 6 models, fallbacks, refusals, sub-agent shares). The set-up prints the
 * heap in use after a report, after a full GC, and the size of the page.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar ReportBenchmark -jvmArgs -Xmx256m}
 * (a quick look: {@code ReportBenchmark -p records=20000 -wi 0 -i 1}).
 */
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReportBenchmark {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** A store filled once, and a service reading it. */
    @State(Scope.Benchmark)
    public static class Filled {
        @Param({"h2"})
        public String store;

        /** How many records the store holds (the bar is for 1,000,000). */
        @Param({"1000000"})
        public int records;

        TelemetryStoreBenchmark.Opened opened;
        LlmService llm;

        @Setup(Level.Trial)
        public void fill() {
            try {
                opened = TelemetryStoreBenchmark.Opened.of(store);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long t0 = System.nanoTime();
            TelemetryStoreBenchmark.Spread.Counts counts = TelemetryStoreBenchmark.Spread.generate(records,
                    opened.store()::record);
            opened.store().flush();
            llm = LlmService.builder().config(ConfigSource.text("report-bench.yaml", SyntheticConfig.yaml(10, 3, 6,
                            StubToolAdapterProvider.TYPE, "cost-optimized")
                            .replace("policies:\n", """
                                    policies:
                                      timezone: Europe/Berlin
                                      budgets:
                                        - {name: all-monthly, scope: {}, period: monthly, limit: {usd: 5000}}
                                        - {name: all-daily, scope: {}, period: daily, limit: {usd: 400, type: soft}}
                                        - {name: team-weekly, scope: {team: team-0}, period: weekly, limit: {usd: 900}}
                                    """)))
                    .telemetryStore(opened.store()).clock(Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), BERLIN))
                    .build();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long before = rt.totalMemory() - rt.freeMemory();
            long r0 = System.nanoTime();
            CountingWriter page = new CountingWriter();
            llm.writeReport(llm.report(month()), page);
            double seconds = (System.nanoTime() - r0) / 1e9;
            long after = rt.totalMemory() - rt.freeMemory();
            System.gc();
            long retained = rt.totalMemory() - rt.freeMemory();
            System.out.printf("%n# %s: %,d records (%,d requests) written in %.1f s; first report + page %.2f s;"
                            + " heap in use %,d KB before, %,d KB after (no GC between), %,d KB after GC; page %,d chars;"
                            + " max heap %,d MB%n", store, counts.records(), counts.requests(),
                    (r0 - t0) / 1e9, seconds, before / 1024, after / 1024, retained / 1024, page.chars,
                    rt.maxMemory() / (1024 * 1024));
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                llm.close();
            } finally {
                opened.close();
            }
        }
    }

    static ReportQuery month() {
        return ReportQuery.builder().period(StatsPeriod.MONTH).from(Instant.parse("2026-11-10T00:00:00Z"))
                .by(StatsDimension.AGENT).zone(BERLIN).build();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long reportAndWriteMonthByAgent(Filled f) {
        SpendReport report = f.llm.report(month());
        CountingWriter page = new CountingWriter();
        f.llm.writeReport(report, page);
        return page.chars;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public SpendReport reportMonthByModel(Filled f) {
        return f.llm.report(ReportQuery.builder().period(StatsPeriod.MONTH).from(Instant.parse("2026-11-10T00:00:00Z"))
                .by(StatsDimension.MODEL).zone(BERLIN).build());
    }

    /** Counts what is written and keeps nothing. */
    static final class CountingWriter extends Writer {
        long chars;

        @Override
        public void write(char[] buf, int off, int len) {
            chars += len;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
