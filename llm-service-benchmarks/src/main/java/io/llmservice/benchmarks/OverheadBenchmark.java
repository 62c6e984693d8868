package io.llmservice.benchmarks;

import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * In-process overhead of one whole call — route, pipeline (fallback, telemetry into the
 * in-memory store, cost computation) — with an in-process stub adapter, so no process is
 * started (SPEC §8 bar: ≤ 50 µs). Output parsing of real CLI output is measured separately in
 * {@code OutputParseBenchmark}.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar OverheadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OverheadBenchmark {
    private LlmService llm;
    private LlmRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        llm = LlmService.builder().config(ConfigSource.text("synthetic.yaml",
                SyntheticConfig.yaml(50, 20, 40, StubToolAdapterProvider.TYPE, "cost-optimized"))).build();
        request = LlmRequest.builder("Summarise the failing test output and propose a fix.").agent("agent-7").build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        llm.close();
    }

    @Benchmark
    public LlmResponse routeAndExecute() {
        return llm.route(request).execute();
    }
}
