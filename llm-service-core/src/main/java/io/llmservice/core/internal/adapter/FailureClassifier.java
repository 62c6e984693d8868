package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.Redactor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Decides whether a finished tool run failed and, if so, which {@link ToolException} it is and
 * whether falling back to another candidate may help.
 *
 * <pre>{@code
 * Optional<ToolException> failure = classifier.classify(tool, exitCode, parsed, stdout, stderr);
 * if (failure.isPresent()) throw failure.get();
 * }</pre>
 *
 * <p>Order of the rules: authentication (HTTP 401/403, gemini exit 41, or the tools' own
 * "please log in" wording) is never retriable and says how to log in; an API that could not be
 * reached (connection refused, host not resolved, ...) is retriable and the message names the
 * cause ("could not reach the API: connection refused"); HTTP 429/5xx, a
 * {@code retriable_when} pattern or rate-limit/overload wording make a failure retriable;
 * gemini exit 55 (untrusted folder) says how to trust it; any other failure is not retriable.
 * A run that reports an error in its output fails even with exit status 0.
 *
 * <p>Patterns are looked for in standard error, in the tool's reported error message and, when
 * the output was not read as JSON, in standard output. The rest of a JSON output is metadata
 * (durations, ids) where a bare "429" or "500" means nothing.
 *
 * <p>Secrets: the patterns are matched against the tool's raw text, but every piece of it a
 * message carries (standard error's tail, the tool's error message) has been through the
 * {@link Redactor} first — this is where tool text becomes exception text, so it is masked here,
 * once, for every sink (the caller's logs, the CLI's error line, telemetry).
 *
 * <p>Stateless and thread-safe.
 */
final class FailureClassifier {

    /** How much of standard error a {@link ToolExitException} carries. */
    static final int STDERR_TAIL_BYTES = 2048;

    private static final int GEMINI_EXIT_AUTH = 41;
    private static final int GEMINI_EXIT_UNTRUSTED_FOLDER = 55;

    /** Wording of transient vendor trouble, on top of each tool's {@code retriable_when}. */
    private static final Pattern TRANSIENT = Pattern.compile(
            "rate[ _-]?limit|overloaded|too many requests|resource[ _]exhausted|service unavailable"
                    + "|temporarily unavailable|bad gateway|gateway timeout|internal server error"
                    + "|(?<![\\w.])(?:429|500|502|503|504|529)(?![\\w.])",
            Pattern.CASE_INSENSITIVE);

    /** Wording with which the CLIs say the credentials are missing or rejected. */
    private static final Pattern AUTH = Pattern.compile(
            "invalid api key|invalid x-api-key|failed to authenticate|authentication failed|not logged in"
                    + "|please run /login|unauthenticated|unauthorized|invalid auth method",
            Pattern.CASE_INSENSITIVE);

    private final Redactor redactor;

    /** A classifier whose messages carry the tool's text unmasked; for tests of the rules. */
    FailureClassifier() {
        this(Redactor.none());
    }

    /** @param redactor masks secrets in the tool text that messages quote */
    FailureClassifier(Redactor redactor) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * How the CLIs and the HTTP stacks under them (node's fetch, Rust's reqwest) say the vendor
     * API could not be reached, each with the cause it names, most specific first. Wording seen
     * from claude 2.1.332 ("API Error: Connection refused — a firewall or proxy may be blocking it
     * (ECONNREFUSED)", older: "API Error: Connection error."), codex 0.171 ("Reconnecting... 2/5
     * (stream disconnected before completion: failed to lookup address information: ...)", then
     * "Reconnecting... waiting for network (Connection failed: error sending request)") and gemini
     * 0.61 ("TypeError: fetch failed sending request", with node's ECONNREFUSED / ENOTFOUND).
     */
    private static final List<Unreachable> UNREACHABLE = List.of(
            new Unreachable("connection refused|econnrefused", "connection refused"),
            new Unreachable("enotfound|eai_again|getaddrinfo|dns error|failed to lookup address|could not resolve host"
                    + "|name or service not known|temporary failure in name resolution|no such host",
                    "the API's host name could not be resolved"),
            new Unreachable("network is unreachable|enetunreach|ehostunreach|no route to host", "network unreachable"),
            new Unreachable("etimedout|connection timed out|connect timeout|connect timed out|connect_timeout",
                    "connection timed out"),
            new Unreachable("econnreset|connection reset|connection to the api was lost", "connection reset"),
            new Unreachable("unable to get local issuer certificate|self[- ]signed certificate|certificate verify failed"
                    + "|invalid peer certificate|unable_to_verify_leaf_signature", "TLS certificate not trusted"),
            new Unreachable("connection error|connection failed|unable to connect to api|fetch failed"
                    + "|error sending request|stream disconnected before completion|waiting for network|network error",
                    "network error"));

    private record Unreachable(Pattern pattern, String cause) {
        Unreachable(String regex, String cause) {
            this(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), cause);
        }
    }

    /** The cause, when {@code text} says the API could not be reached. */
    static Optional<String> unreachable(String text) {
        for (Unreachable u : UNREACHABLE) {
            if (u.pattern().matcher(text).find()) {
                return Optional.of(u.cause());
            }
        }
        return Optional.empty();
    }

    /**
     * Classifies one run that exited on its own.
     *
     * @param tool     the tool's definition (name, binary, {@code retriable_when})
     * @param exitCode the exit status
     * @param parsed   the parsed output; empty when the output could not be parsed
     * @param stdout   standard output as text, for pattern matching when it is not JSON
     * @param stderr   standard error as text
     * @return the failure, or empty when the run succeeded
     */
    Optional<ToolException> classify(ToolDefinition tool, int exitCode, Optional<ParsedOutput> parsed,
                                     String stdout, String stderr) {
        Objects.requireNonNull(tool, "tool");
        boolean reported = parsed.map(ParsedOutput::reportedError).orElse(false);
        if (exitCode == 0 && !reported) {
            return Optional.empty();
        }
        ToolFamily family = ToolFamily.of(tool);
        OptionalInt status = parsed.map(ParsedOutput::errorStatus).orElse(OptionalInt.empty());
        String reportedMessage = parsed.flatMap(ParsedOutput::errorMessage).map(String::strip).orElse("");
        boolean structured = parsed.isPresent() && tool.output().format() != OutputFormat.TEXT;
        String searched = String.join("\n", structured ? List.of(reportedMessage, stderr) : List.of(stdout, stderr));
        int httpStatus = status.orElse(0);
        // What messages show: masked before the tail is cut, so a secret is never cut in two and missed.
        String message = redactor.redact(reportedMessage);
        String tail = tail(redactor.redact(stderr), STDERR_TAIL_BYTES);

        boolean auth = httpStatus == 401 || httpStatus == 403
                || (family == ToolFamily.GEMINI && exitCode == GEMINI_EXIT_AUTH)
                || (httpStatus == 0 && AUTH.matcher(reportedMessage + "\n" + stderr).find());
        if (auth) {
            String what = describe(message, httpStatus, exitCode, tail);
            return Optional.of(new ToolReportedErrorException(ErrorCode.TOOL_AUTHENTICATION, tool.name(),
                    "authentication failed: " + what + "; "
                            + ArgvTemplate.renderOptions(family.authenticationHint(tool.name()), hintOptions(tool)),
                    httpStatus, exitCode, false));
        }

        // No connection to the API: another tool (another vendor) may well get through.
        Optional<String> unreachable = httpStatus == 0 ? unreachable(searched) : Optional.empty();
        boolean retriable = httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599)
                || unreachable.isPresent()
                || matchesRetriableWhen(tool.retriableWhen(), searched)
                || TRANSIENT.matcher(searched).find();
        String cause = unreachable.map(u -> "could not reach the API: " + u).orElse("");

        if (family == ToolFamily.GEMINI && exitCode == GEMINI_EXIT_UNTRUSTED_FOLDER && !retriable) {
            return Optional.of(new ToolExitException(tool.name(), exitCode, tail,
                    "gemini refuses to run in an untrusted folder in headless mode: set GEMINI_CLI_TRUST_WORKSPACE=true"
                            + " in the environment (the built-in gemini-cli definition passes it on) or trust the"
                            + " working directory in gemini" + (message.isEmpty() ? "" : "; gemini said: " + message),
                    false));
        }
        if (reported) {
            String what = describe(message, httpStatus, exitCode, tail);
            String prefix = !cause.isEmpty() ? cause + "; the tool reported"
                    : retriable ? "reported a transient error" : "reported an error";
            return Optional.of(new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, tool.name(),
                    prefix + ": " + what, httpStatus, exitCode, retriable));
        }
        String detail = cause.isEmpty() ? message : message.isEmpty() ? cause : cause + "; " + message;
        return Optional.of(new ToolExitException(tool.name(), exitCode, tail, detail, retriable));
    }

    /** The tool's options, with the built-in codex provider's key variable where the tool names none. */
    private static Map<String, String> hintOptions(ToolDefinition tool) {
        Map<String, String> options = new HashMap<>(Map.of("env_key", "OPENAI_API_KEY"));
        options.putAll(tool.options());
        return options;
    }

    private static boolean matchesRetriableWhen(List<String> patterns, String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String p : patterns) {
            if (!p.isEmpty() && lower.contains(p.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String message, int httpStatus, int exitCode, String stderrTail) {
        List<String> parts = new ArrayList<>();
        parts.add(message.isEmpty() ? "no error message" : message);
        if (httpStatus > 0) {
            parts.add("HTTP " + httpStatus);
        }
        parts.add("exit status " + exitCode);
        String s = parts.get(0) + " (" + String.join(", ", parts.subList(1, parts.size())) + ")";
        return stderrTail.isBlank() ? s : s + "; stderr: " + stderrTail.strip();
    }

    /** The last {@code maxBytes} bytes of {@code text} in UTF-8, not splitting a character. */
    static String tail(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int from = bytes.length - maxBytes;
        while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
            from++; // skip continuation bytes of a cut character
        }
        return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    }

    /** The CLIs this classifier knows the quirks of, recognised by binary (a user may rename the tool). */
    enum ToolFamily {
        CLAUDE, CODEX, GEMINI, OTHER;

        static ToolFamily of(ToolDefinition tool) {
            String name = tool.binary().replace('\\', '/');
            name = name.substring(name.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            name = name.replaceFirst("\\.(cmd|exe|bat|ps1|js)$", "");
            return switch (name) {
                case "claude" -> CLAUDE;
                case "codex" -> CODEX;
                case "gemini" -> GEMINI;
                default -> OTHER;
            };
        }

        String authenticationHint(String toolName) {
            return switch (this) {
                case CLAUDE -> "log in with `claude /login`, or set ANTHROPIC_API_KEY in the environment"
                        + " (the built-in claude-code definition passes it on)";
                // The provider's own key variable: options.env_key of the built-in codex definition.
                case CODEX -> "set {options.env_key} in the environment (the codex definition passes it on to"
                        + " its model provider)";
                case GEMINI -> "set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment and select that auth method"
                        + " in ~/.gemini/settings.json: {\"security\":{\"auth\":{\"selectedType\":\"gemini-api-key\"}}}";
                case OTHER -> "check the tool's credentials and declare the variables it needs under tools."
                        + toolName + ".env";
            };
        }
    }
}
