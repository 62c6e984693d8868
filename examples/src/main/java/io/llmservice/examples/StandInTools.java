package io.llmservice.examples;

import io.llmservice.testkit.FakeCli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stand-ins for the real coding-agent CLIs, so the examples run on any machine and spend nothing.
 * Each is a real program (the testkit's {@link FakeCli}) printing output shaped exactly like the
 * real tool's, and says in its answer that it is a stand-in.
 *
 * <p>The examples use the stand-ins even when the real {@code claude}, {@code codex} or
 * {@code gemini} is installed — a real tool may not be logged in, and when it is, it spends money.
 * Only {@code LLM_SERVICE_REAL_TOOLS=1} selects the real ones found on {@code PATH}:
 *
 * <pre>{@code
 * StandInTools tools = new StandInTools(System.getenv());
 * Path claude = tools.use("claude", () -> tools.claude("Looks good.", 1800, 120), out);
 * // out: "   claude  stand-in  /tmp/llm-service-stand-ins.../claude"
 * }</pre>
 *
 * <p>One per example run; the stand-ins are written into a new temporary directory.
 */
final class StandInTools {
    /** The environment variable that selects the real tools: {@code 1} (or {@code true}) uses them. */
    static final String REAL_TOOLS = "LLM_SERVICE_REAL_TOOLS";

    private final Map<String, String> env;
    private final boolean realRequested;
    private final Path dir;

    /** Stand-ins for this process's environment. */
    StandInTools() {
        this(System.getenv());
    }

    /**
     * Stand-ins for the given environment: its {@value #REAL_TOOLS} decides, its {@code PATH} is where real
     * tools are looked for.
     *
     * @throws IllegalArgumentException when {@value #REAL_TOOLS} is set to something other than 1, true, 0 or false
     */
    StandInTools(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.realRequested = realToolsRequested(env);
        try {
            dir = Files.createTempDirectory("llm-service-stand-ins");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@value #REAL_TOOLS} asks for the real tools; a value that is not 1/true/0/false is an error. */
    static boolean realToolsRequested(Map<String, String> env) {
        String value = env.getOrDefault(REAL_TOOLS, "").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "1", "true" -> true;
            case "", "0", "false" -> false;
            default -> throw new IllegalArgumentException(REAL_TOOLS + " must be 1 (use the real claude, codex and"
                    + " gemini on PATH) or 0 (use stand-ins), was '" + env.get(REAL_TOOLS) + "'");
        };
    }

    /** Whether the real tools were asked for. */
    boolean realRequested() {
        return realRequested;
    }

    /** One line saying which tools the example runs and how to choose the other kind. */
    String summary() {
        return realRequested
                ? "Tools: " + REAL_TOOLS + "=1, so the real claude, codex and gemini on PATH (they may spend money);"
                        + " a stand-in for each one that is not installed:"
                : "Tools: stand-ins (their answers start with [stand-in ...]; nothing leaves this machine, nothing is"
                        + " spent). " + REAL_TOOLS + "=1 uses the real claude, codex and gemini on PATH instead:";
    }

    /**
     * The program to run as {@code binary}: the real one when the real tools were asked for and it is on
     * {@code PATH}, else the stand-in {@code standIn} makes. Prints one line on {@code out} saying which.
     */
    Path use(String binary, Supplier<Path> standIn, PrintWriter out) {
        Optional<Path> real = realRequested ? installed(binary) : Optional.empty();
        if (real.isPresent()) {
            out.printf("   %-7s real      %s%n", binary, real.get());
            return real.get();
        }
        Path path = standIn.get();
        out.printf("   %-7s stand-in  %s%s%n", binary, path, realRequested ? " (no " + binary + " on PATH)" : "");
        return path;
    }

    /** The real binary's path when it is on this environment's {@code PATH}, else empty. */
    Optional<Path> installed(String binary) {
        String path = env.getOrDefault("PATH", "");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String entry : path.split(File.pathSeparator)) {
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
