package io.llmservice.benchmarks;

import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.RoutePlan;
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

import java.util.concurrent.TimeUnit;

/**
 * {@code route()} decision time for 50 agents / 20 tools / 40 models (SPEC §8 bar: ≤ 20 µs), per
 * strategy. The prompt is a typical short review request; requests rotate over 50 agents.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar RouteBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteBenchmark {
    @Param({"preference", "cost-optimized"})
    public String strategy;

    private LlmService llm;
    private LlmRequest[] requests;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        llm = LlmService.builder().config(ConfigSource.text("synthetic.yaml",
                SyntheticConfig.yaml(50, 20, 40, StubToolAdapterProvider.TYPE, strategy))).build();
        requests = new LlmRequest[50];
        for (int a = 0; a < 50; a++) {
            requests[a] = LlmRequest.builder("Review this diff for null handling and naming:\n"
                            + "- if (user == null) return;\n+ Objects.requireNonNull(user, \"user\");")
                    .agent("agent-" + a).complexity(Complexity.values()[a % 3]).build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        llm.close();
    }

    @Benchmark
    public RoutePlan route() {
        LlmRequest r = requests[next];
        next = next == requests.length - 1 ? 0 : next + 1;
        return llm.route(r).plan();
    }
}
