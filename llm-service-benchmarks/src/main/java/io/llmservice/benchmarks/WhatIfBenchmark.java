package io.llmservice.benchmarks;

import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import io.llmservice.StatsQuery;
import io.llmservice.WhatIfReport;
import io.llmservice.config.LlmConfig;
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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link LlmService#whatIf} over 1,000,000 recorded invocations in an H2 store (the bar: ≤ 5 s,
 * bounded memory): the month of {@link TelemetryStoreBenchmark.Spread}, each record carrying its route
 * input, replayed under a {@code cost-optimized} configuration with a daily hard budget per team that
 * downgrades ({@code TelemetryStoreBenchmark.scanRecordsMonth} times the store's reading alone). The set-up
 * prints how long filling took; each iteration prints the JVM's peak heap use so
 * far (the sum of the heap pools' peaks; run with {@code -jvmArgs -Xmx256m} to show the replay needs no
 * more).
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar WhatIfBenchmark -jvmArgs -Xmx256m}
 * (a quick look: {@code -p records=10000 -wi 0 -i 1}).
 */
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class WhatIfBenchmark {

    /** The proposed configuration: the month's ten agents and three tools, cost-optimized, a budget per team. */
    static final String PROPOSED = """
            agents:
              agent-0: {team: platform, tool: claude-code, model: claude-sonnet-4-5, tools: [codex, gemini-cli]}
              agent-1: {team: platform, tool: claude-code, model: claude-opus-4-5, tools: [codex]}
              agent-2: {team: platform, tool: codex, model: gpt-5-codex, tools: [claude-code]}
              agent-3: {team: platform, tool: codex, model: gpt-5, tools: [gemini-cli]}
              agent-4: {team: payments, tool: gemini-cli, model: gemini-2.5-pro, tools: [codex]}
              agent-5: {team: payments, tool: gemini-cli, model: gemini-2.5-flash, tools: [claude-code]}
              agent-6: {team: payments, tool: claude-code, model: claude-sonnet-4-5}
              agent-7: {team: mobile, tool: claude-code, model: claude-opus-4-5, tools: [codex, gemini-cli]}
              agent-8: {team: mobile, tool: codex, model: gpt-5-codex}
              agent-9: {team: mobile, tool: gemini-cli, model: gemini-2.5-pro, tools: [claude-code]}
            policies:
              routing: {strategy: cost-optimized}
              timezone: Europe/Berlin
              budgets:
                - {name: platform-daily, scope: {team: platform}, period: daily, limit: {usd: 150, type: hard}, on_exceed: downgrade}
                - {name: payments-daily, scope: {team: payments}, period: daily, limit: {usd: 100, type: hard}, on_exceed: block}
                - {name: mobile-monthly, scope: {team: mobile}, period: monthly, limit: {usd: 3000, type: soft}}
              telemetry: {store: memory}
            """;

    /** An H2 store filled once with the month, and a service reading it. */
    @State(Scope.Benchmark)
    public static class Filled {
        /** How many records the store holds (the bar is for 1,000,000; fewer for a quick look). */
        @Param({"1000000"})
        public int records;

        Path dir;
        LlmService llm;
        LlmConfig proposed;

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = Files.createTempDirectory("llm-whatif-bench");
            io.llmservice.spi.TelemetryStore store = TelemetryStoreBenchmark.open(dir);
            long t0 = System.nanoTime();
            TelemetryStoreBenchmark.Spread.Counts counts = TelemetryStoreBenchmark.Spread.generate(records, store::record);
            store.flush();
            System.out.printf("%n# h2: wrote %,d records (%,d requests) with their route input in %.1f s%n",
                    counts.records(), counts.requests(), (System.nanoTime() - t0) / 1e9);
            ConfigSource config = ConfigSource.text("proposed.yaml", PROPOSED);
            proposed = LlmService.builder().config(config).environment(Map.of()).loadConfig();
            // the service closes the store
            llm = LlmService.builder().config(config).environment(Map.of()).telemetryStore(store).build();
        }

        @TearDown(Level.Iteration)
        public void heap() {
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            System.out.printf("%n# peak heap used so far: %,d MB (max %,d MB)%n", peak >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            try {
                llm.close();
            } finally {
                TelemetryStoreBenchmark.delete(dir);
            }
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public WhatIfReport whatIfMonth(Filled f) {
        WhatIfReport r = f.llm.whatIf(f.proposed, StatsQuery.builder().since(TelemetryStoreBenchmark.START)
                .until(TelemetryStoreBenchmark.START.plus(TelemetryStoreBenchmark.Spread.SPAN)).build());
        if (r.requests() == 0) {
            throw new IllegalStateException("nothing replayed: " + r.notReplayed());
        }
        return r;
    }
}
