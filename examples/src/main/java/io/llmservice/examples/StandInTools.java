package io.llmservice.examples;

import io.llmservice.testkit.FakeCli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Stand-ins for the real coding-agent CLIs, so the examples run on a machine where none is
 * installed. Each is a real program (the testkit's {@link FakeCli}) printing output shaped exactly
 * like the real tool's, and says in its answer that it is a stand-in. When the real binary is on
 * {@code PATH}, {@link #binaryFor} returns empty and the example uses the real tool.
 */
final class StandInTools {
    private final Path dir;

    StandInTools() {
        try {
            dir = Files.createTempDirectory("llm-service-stand-ins");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real binary's path when installed, else empty. */
    static Optional<Path> installed(String binary) {
        String path = System.getenv().getOrDefault("PATH", "");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String entry : path.split(java.io.File.pathSeparator)) {
            for (String ext : windows ? new String[]{".exe", ".cmd", ""} : new String[]{""}) {
                if (entry.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(entry, binary + ext);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** A stand-in claude answering like {@code claude -p --output-format json}. */
    Path claude(String answer, long inputTokens, long outputTokens) {
        String json = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"api_error_status\":null,"
                + "\"result\":" + quote("[stand-in claude] " + answer) + ",\"total_cost_usd\":"
                + cost(inputTokens, outputTokens, 3, 15) + ",\"usage\":{\"input_tokens\":" + inputTokens
                + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + outputTokens
                + "},\"modelUsage\":{\"claude-sonnet-4-5\":{\"inputTokens\":" + inputTokens + "}}}";
        return FakeCli.builder().name("claude").stdout(json).build(dir).binary();
    }

    /** A stand-in claude whose vendor API is overloaded (HTTP 529): a retriable failure. */
    Path overloadedClaude() {
        String json = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,\"api_error_status\":529,"
                + "\"result\":\"API Error: 529 {\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":"
                + "\\\"overloaded_error\\\",\\\"message\\\":\\\"Overloaded\\\"}} [stand-in claude]\","
                + "\"total_cost_usd\":0,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}";
        return FakeCli.builder().name("claude").stdout(json).exitCode(1).build(dir).binary();
    }

    /** A stand-in codex answering like {@code codex exec --json}. */
    Path codex(String answer, long inputTokens, long outputTokens) {
        String jsonl = "{\"type\":\"thread.started\",\"thread_id\":\"stand-in\"}\n"
                + "{\"type\":\"turn.started\"}\n"
                + "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\",\"text\":"
                + quote("[stand-in codex] " + answer) + "}}\n"
                + "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":" + inputTokens
                + ",\"cached_input_tokens\":0,\"output_tokens\":" + outputTokens + "}}\n";
        return FakeCli.builder().name("codex").stdout(jsonl).build(dir).binary();
    }

    /** A stand-in gemini answering like {@code gemini --output-format json}. */
    Path gemini(String answer, long inputTokens, long outputTokens) {
        String json = "{\"response\":" + quote("[stand-in gemini] " + answer) + ",\"stats\":{\"models\":{"
                + "\"gemini-2.5-flash\":{\"tokens\":{\"prompt\":" + inputTokens + ",\"candidates\":" + outputTokens
                + ",\"cached\":0,\"thoughts\":0}}}}}";
        return FakeCli.builder().name("gemini").stdout(json).build(dir).binary();
    }

    private static String cost(long in, long out, int inPrice, int outPrice) {
        return new java.math.BigDecimal(in * inPrice + out * outPrice).movePointLeft(6).toPlainString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
