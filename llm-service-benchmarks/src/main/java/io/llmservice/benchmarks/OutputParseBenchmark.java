package io.llmservice.benchmarks;

import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import io.llmservice.core.internal.adapter.OutputParser;
import io.llmservice.core.internal.adapter.ParsedOutput;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Parsing one real CLI output (captured from the real binaries, copied under
 * {@code real-cli/}) with the built-in tool's {@code output:} paths, as the adapter does after
 * each run: Jackson tree plus Jayway JsonPath. Part of the in-process overhead bar (SPEC §8:
 * ≤ 50 µs per call with route, budget and telemetry).
 *
 * <p>Run: {@code java -jar llm-service-benchmarks/target/benchmarks.jar OutputParseBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(java.util.concurrent.TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OutputParseBenchmark {
    @Param({"claude-code", "codex", "gemini-cli"})
    public String tool;

    private final OutputParser parser = new OutputParser();
    private OutputSpec spec;
    private byte[] stdout;

    @Setup
    public void setUp() {
        switch (tool) {
            case "claude-code" -> {
                spec = new OutputSpec(OutputFormat.JSON, Map.of(
                        OutputField.TEXT, List.of("$.result"),
                        OutputField.INPUT_TOKENS, List.of("$.usage.input_tokens"),
                        OutputField.OUTPUT_TOKENS, List.of("$.usage.output_tokens"),
                        OutputField.CACHE_READ_TOKENS, List.of("$.usage.cache_read_input_tokens"),
                        OutputField.CACHE_WRITE_TOKENS, List.of("$.usage.cache_creation_input_tokens"),
                        OutputField.COST_USD, List.of("$.total_cost_usd"),
                        OutputField.IS_ERROR, List.of("$.is_error"),
                        OutputField.ERROR_STATUS, List.of("$.api_error_status"),
                        OutputField.ERROR_MESSAGE, List.of("$.result"),
                        OutputField.MODEL, List.of("$.modelUsage.keys()")), false);
                stdout = fixture("claude-2.1.332-success.json");
            }
            case "codex" -> {
                String turn = "$[?(@.type == 'turn.completed')].usage.";
                spec = new OutputSpec(OutputFormat.JSONL, Map.of(
                        OutputField.TEXT, List.of("$[?(@.type == 'item.completed' && @.item.type == 'agent_message')].item.text"),
                        OutputField.INPUT_TOKENS, List.of(turn + "input_tokens"),
                        OutputField.OUTPUT_TOKENS, List.of(turn + "output_tokens"),
                        OutputField.CACHE_READ_TOKENS, List.of(turn + "cached_input_tokens"),
                        OutputField.CACHE_WRITE_TOKENS, List.of(turn + "cache_write_input_tokens"),
                        OutputField.IS_ERROR, List.of("$[?(@.type == 'turn.failed' || @.type == 'error')]"),
                        OutputField.ERROR_MESSAGE, List.of("$[?(@.type == 'turn.failed')].error.message",
                                "$[?(@.type == 'error')].message")), true);
                stdout = fixture("codex-0.171.0-success.jsonl");
            }
            case "gemini-cli" -> {
                spec = new OutputSpec(OutputFormat.JSON, Map.of(
                        OutputField.TEXT, List.of("$.response"),
                        OutputField.INPUT_TOKENS, List.of("$.stats.models.*.tokens.prompt"),
                        OutputField.CACHE_READ_TOKENS, List.of("$.stats.models.*.tokens.cached"),
                        OutputField.OUTPUT_TOKENS, List.of("$.stats.models.*.tokens.candidates",
                                "$.stats.models.*.tokens.thoughts"),
                        OutputField.IS_ERROR, List.of("$.error"),
                        OutputField.ERROR_MESSAGE, List.of("$.error.message"),
                        OutputField.MODEL, List.of("$.stats.models.keys()")), true);
                stdout = fixture("gemini-cli-0.61.0-cached-success.json");
            }
            default -> throw new IllegalArgumentException("unknown tool " + tool);
        }
        if (parser.parse(tool, spec, stdout).text().isEmpty()) {
            throw new IllegalStateException(tool + ": the fixture parsed to no text");
        }
    }

    @Benchmark
    public ParsedOutput parse() {
        return parser.parse(tool, spec, stdout);
    }

    private static byte[] fixture(String name) {
        try (InputStream in = OutputParseBenchmark.class.getResourceAsStream("/real-cli/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
