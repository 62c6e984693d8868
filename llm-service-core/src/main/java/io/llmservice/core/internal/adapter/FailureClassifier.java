package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.ErrorSpec;
import io.llmservice.config.FailureKind;
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
 * <p>Order of the rules: authentication (HTTP 401/403, an exit status the tool's
 * {@code errors.exit_codes} maps to {@code auth}, the CLIs' "please log in" wording or a tool's
 * {@code errors.auth_when}) is never retriable and carries the tool's {@code errors.auth_hint};
 * an exit status mapped to another kind decides retriability; an API that could not be reached
 * (connection refused, host not resolved, reset...) is retriable and the message names the cause
 * ("could not reach the API: connection refused"); HTTP 429/5xx, a {@code retriable_when} pattern
 * or rate-limit/overload wording make a failure retriable; any other failure is not retriable.
 * A run that reports an error in its output fails even with exit status 0. Nothing is guessed
 * from the binary's name: what a vendor's CLI means by its exit statuses is in its YAML.
 *
 * <p>The error report is read where {@code errors.json_from} says: the output document and/or
 * the last JSON document on standard error (gemini 0.61 prints its error there). A message is
 * one line of cause and one hint: an error body the tool quotes as JSON is reduced to its message
 * and status ({@link ApiErrorBody}), and of standard error only one telling line is quoted,
 * never a stack trace.
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

    /** How long the one line of standard error a message quotes may be. */
    static final int LINE_CHARS = 300;

    /** A line of a stack trace (node's "at f (file:1:2)", Java's "at a.B.c(B.java:1)", Python's "File ..."). */
    private static final Pattern STACK_FRAME = Pattern.compile("(at |File \"|\\.\\.\\. \\d+ more).*");

    /** Wording of a line that says what went wrong. */
    private static final Pattern TELLING = Pattern.compile(
            "error|fail|fatal|panic|exception|denied|invalid|refused|unauthori|forbidden|not found|cannot|can't|unable",
            Pattern.CASE_INSENSITIVE);

    /** Wording of transient vendor trouble, on top of each tool's {@code retriable_when}. */
    private static final Pattern TRANSIENT = Pattern.compile(
            "rate[ _-]?limit|overloaded|too many requests|resource[ _]exhausted|service unavailable"
                    + "|temporarily unavailable|bad gateway|gateway timeout|internal server error"
                    + "|(?<![\\w.])(?:429|500|502|503|504|529)(?![\\w.])",
            Pattern.CASE_INSENSITIVE);

    /** Wording with which the CLIs say the credentials are missing or rejected. */
    private static final Pattern AUTH = Pattern.compile(
            "invalid api key|invalid x-api-key|failed to authenticate|authentication failed|not logged in"
                    + "|please run /login|unauthenticated|unauthorized|invalid auth method|api key not valid",
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
     * @param tool     the tool's definition (name, {@code errors:}, {@code retriable_when})
     * @param exitCode the exit status
     * @param parsed   the parsed output; empty when the output could not be parsed
     * @param stdout   standard output as text, for pattern matching when it is not JSON
     * @param stderr   standard error as text
     * @return the failure, or empty when the run succeeded
     */
    Optional<ToolException> classify(ToolDefinition tool, int exitCode, Optional<ParsedOutput> parsed,
                                     String stdout, String stderr) {
        return classify(tool, exitCode, parsed, Optional.empty(), stdout, stderr);
    }

    /**
     * Classifies one run that exited on its own, with the error report found on standard error
     * ({@code errors.json_from: [.., stderr]}).
     *
     * @param stderrReport the error fields read from the last JSON document on standard error
     */
    Optional<ToolException> classify(ToolDefinition tool, int exitCode, Optional<ParsedOutput> parsed,
                                     Optional<ParsedOutput> stderrReport, String stdout, String stderr) {
        Objects.requireNonNull(tool, "tool");
        ErrorSpec errors = tool.errors();
        Optional<ParsedOutput> stdoutReport = errors.readsFrom(ErrorSource.STDOUT) ? parsed : Optional.empty();
        // The report that says the run failed; standard output's first.
        Optional<ParsedOutput> report = stdoutReport.filter(ParsedOutput::reportedError)
                .or(() -> stderrReport.filter(ParsedOutput::reportedError));
        boolean reported = report.isPresent();
        if (exitCode == 0 && !reported) {
            return Optional.empty();
        }
        Optional<ParsedOutput> source = report.or(() -> stdoutReport);
        // Only an HTTP status is one: a tool may put its own exit code where the vendor's status goes.
        int reportedStatus = source.map(ParsedOutput::errorStatus).orElse(OptionalInt.empty()).orElse(0);
        int httpStatus = reportedStatus >= 100 && reportedStatus <= 599 ? reportedStatus : 0;
        String rawMessage = source.flatMap(ParsedOutput::errorMessage).map(String::strip).orElse("");
        boolean structured = parsed.isPresent() && tool.output().format() != OutputFormat.TEXT;
        String searched = String.join("\n", structured ? List.of(rawMessage, stderr) : List.of(stdout, stderr));
        // What messages show: masked before anything is cut, so a secret is never cut in two and missed.
        String message = redactor.redact(ApiErrorBody.summary(rawMessage));
        String stderrLine = reported && !message.isEmpty() ? "" : usefulLine(redactor.redact(stderr));
        Optional<FailureKind> mapped = errors.kindOf(exitCode);
        String exitHint = render(errors.exitHints().getOrDefault(exitCode, ""), tool);

        boolean authWording = (httpStatus == 0 || (httpStatus >= 400 && httpStatus < 500 && httpStatus != 429))
                && (AUTH.matcher(rawMessage + "\n" + stderr).find() || matchesAny(errors.authWhen(), searched));
        boolean auth = httpStatus == 401 || httpStatus == 403 || mapped.orElse(null) == FailureKind.AUTH || authWording;
        if (auth) {
            String what = describe(message, httpStatus, exitCode, stderrLine);
            return Optional.of(new ToolReportedErrorException(ErrorCode.TOOL_AUTHENTICATION, tool.name(),
                    "authentication failed: " + what + "; " + (exitHint.isEmpty() ? authenticationHint(tool) : exitHint),
                    httpStatus, exitCode, false));
        }

        // No connection to the API: another tool (another vendor) may well get through.
        Optional<String> unreachable = httpStatus == 0 ? unreachable(searched) : Optional.empty();
        boolean retriable = mapped.map(FailureKind::retriable).orElseGet(() -> httpStatus == 429
                || (httpStatus >= 500 && httpStatus <= 599)
                || unreachable.isPresent()
                || matchesAny(tool.retriableWhen(), searched)
                || TRANSIENT.matcher(searched).find());
        String cause = unreachable.map(u -> "could not reach the API: " + u).orElse("");

        if (reported) {
            String what = describe(message, httpStatus, exitCode, stderrLine);
            String prefix = !cause.isEmpty() ? cause + "; the tool reported"
                    : retriable ? "reported a transient error" : "reported an error";
            return Optional.of(new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, tool.name(),
                    prefix + ": " + what + (exitHint.isEmpty() ? "" : "; " + exitHint), httpStatus, exitCode,
                    retriable));
        }
        List<String> details = new ArrayList<>();
        for (String part : List.of(cause, message, exitHint)) {
            if (!part.isEmpty()) {
                details.add(part);
            }
        }
        return Optional.of(new ToolExitException(tool.name(), exitCode, tail(redactor.redact(stderr), STDERR_TAIL_BYTES),
                stderrLine, String.join("; ", details), retriable));
    }

    /** The tool's {@code errors.auth_hint}, or the generic one naming where its variables go. */
    private static String authenticationHint(ToolDefinition tool) {
        String hint = render(tool.errors().authHint(), tool);
        return hint.isEmpty() ? "check the tool's credentials and declare the variables it needs under tools."
                + tool.name() + ".env" : hint;
    }

    /** A hint with the tool's {@code {options.NAME}} placeholders filled. */
    private static String render(String hint, ToolDefinition tool) {
        return hint.isEmpty() ? hint : ArgvTemplate.renderOptions(hint, tool.options());
    }

    /**
     * The one line of standard error worth showing: the last line that says what went wrong
     * (error, failed, denied, invalid, refused, fatal...), else the first line, where a tool's
     * message usually stands before its details; never a stack frame, cut
     * at {@value #LINE_CHARS} characters. A stack trace of a few KB is not a message.
     */
    static String usefulLine(String stderr) {
        String first = "";
        String telling = "";
        for (String line : stderr.split("\\R")) {
            String l = line.strip();
            // Stack frames, and the members and braces of a JSON document, say nothing on their own.
            if (l.isEmpty() || STACK_FRAME.matcher(l).matches() || l.matches("[\\[\\]{}(),]+") || l.startsWith("\"")) {
                continue;
            }
            if (first.isEmpty()) {
                first = l;
            }
            if (TELLING.matcher(l).find()) {
                telling = l;
            }
        }
        String line = telling.isEmpty() ? first : telling;
        return line.length() <= LINE_CHARS ? line : line.substring(0, LINE_CHARS) + "...";
    }

    private static boolean matchesAny(List<String> patterns, String text) {
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
}
