package io.llmservice.benchmarks;

import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Loading and validating a 50-agent / 20-tool / 40-model configuration (YAML parse with marks,
 * built-in catalogue merge, Hibernate Validator, cross-reference checks) and building the service.
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar ConfigLoadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigLoadBenchmark {
    private ConfigSource source;

    @Setup
    public void setUp() {
        source = ConfigSource.text("synthetic.yaml", SyntheticConfig.yaml(50, 20, 40, StubToolAdapterProvider.TYPE,
                "cost-optimized"));
    }

    @Benchmark
    public Object loadValidateAndBuild() {
        try (LlmService llm = LlmService.builder().config(source).build()) {
            return llm.config();
        }
    }
}
