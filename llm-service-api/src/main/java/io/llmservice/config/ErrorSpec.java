package io.llmservice.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a tool reports failures ({@code errors:} in YAML): which streams carry its JSON error
 * report (read with the {@code output:} section's {@code is_error}, {@code error_status} and
 * {@code error_message} paths), what its exit statuses mean, which wording means the
 * credentials were rejected, and the hints a user gets.
 *
 * <pre>{@code
 * ErrorSpec gemini = ErrorSpec.builder()
 *         .jsonFrom(List.of(ErrorSource.STDOUT, ErrorSource.STDERR))
 *         .exitCode(41, FailureKind.AUTH).exitCode(173, FailureKind.RATE_LIMIT)
 *         .authWhen(List.of("API_KEY_INVALID"))
 *         .authHint("set GEMINI_API_KEY in the environment")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param jsonFrom  the streams whose JSON error report is read, in order; standard output by default
 * @param exitCodes exit status (1..255) to what it means
 * @param authWhen  output substrings (case-insensitive) that mean the credentials were rejected
 * @param authHint  what a user should do after an authentication failure; {@code {options.NAME}}
 *                  placeholders are filled from the tool's {@code options:}; empty for the generic hint
 * @param exitHints exit status to a hint shown with that failure (for an authentication failure, in
 *                  place of {@code authHint})
 */
public record ErrorSpec(List<ErrorSource> jsonFrom, Map<Integer, FailureKind> exitCodes, List<String> authWhen,
                        String authHint, Map<Integer, String> exitHints) {

    private static final ErrorSpec DEFAULTS = builder().build();

    public ErrorSpec {
        jsonFrom = List.copyOf(jsonFrom);
        if (jsonFrom.isEmpty()) {
            throw new IllegalArgumentException("errors.json_from must name at least one stream (stdout, stderr)");
        }
        exitCodes = java.util.Collections.unmodifiableMap(new TreeMap<>(exitCodes));
        exitCodes.keySet().forEach(code -> checkExitCode(code, "exit_codes"));
        authWhen = List.copyOf(authWhen);
        Objects.requireNonNull(authHint, "authHint");
        exitHints = java.util.Collections.unmodifiableMap(new TreeMap<>(exitHints));
        exitHints.keySet().forEach(code -> checkExitCode(code, "exit_hints"));
    }

    private static void checkExitCode(Integer code, String key) {
        if (code == null || code < 1 || code > 255) {
            throw new IllegalArgumentException("errors." + key + ": an exit status is 1..255, was " + code);
        }
    }

    /** Errors read from standard output, no exit codes mapped, the generic hints. */
    public static ErrorSpec defaults() {
        return DEFAULTS;
    }

    /** What the exit status means, when {@code exit_codes} says. */
    public Optional<FailureKind> kindOf(int exitCode) {
        return Optional.ofNullable(exitCodes.get(exitCode));
    }

    /** Whether the error report may be on {@code source}. */
    public boolean readsFrom(ErrorSource source) {
        return jsonFrom.contains(source);
    }

    /** A builder with the defaults: {@code json_from: [stdout]}, nothing else. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
        Builder b = new Builder().jsonFrom(jsonFrom).authWhen(authWhen).authHint(authHint);
        b.exitCodes.putAll(exitCodes);
        b.exitHints.putAll(exitHints);
        return b;
    }

    /** Builds {@link ErrorSpec}s; list setters replace, {@link #exitCode} and {@link #exitHint} add. Not thread-safe. */
    public static final class Builder {
        private final List<ErrorSource> jsonFrom = new ArrayList<>(List.of(ErrorSource.STDOUT));
        private final Map<Integer, FailureKind> exitCodes = new LinkedHashMap<>();
        private final List<String> authWhen = new ArrayList<>();
        private String authHint = "";
        private final Map<Integer, String> exitHints = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder jsonFrom(List<ErrorSource> sources) {
            jsonFrom.clear();
            jsonFrom.addAll(Objects.requireNonNull(sources, "jsonFrom"));
            return this;
        }

        /** Adds what one exit status means. */
        public Builder exitCode(int exitCode, FailureKind kind) {
            exitCodes.put(exitCode, Objects.requireNonNull(kind, "kind"));
            return this;
        }

        public Builder exitCodes(Map<Integer, FailureKind> codes) {
            exitCodes.clear();
            exitCodes.putAll(Objects.requireNonNull(codes, "exitCodes"));
            return this;
        }

        public Builder authWhen(List<String> patterns) {
            authWhen.clear();
            authWhen.addAll(Objects.requireNonNull(patterns, "authWhen"));
            return this;
        }

        public Builder authHint(String hint) {
            authHint = Objects.requireNonNull(hint, "authHint");
            return this;
        }

        /** Adds the hint shown with one exit status. */
        public Builder exitHint(int exitCode, String hint) {
            exitHints.put(exitCode, Objects.requireNonNull(hint, "hint"));
            return this;
        }

        public Builder exitHints(Map<Integer, String> hints) {
            exitHints.clear();
            exitHints.putAll(Objects.requireNonNull(hints, "exitHints"));
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalArgumentException when {@code jsonFrom} is empty or an exit status is not 1..255
         */
        public ErrorSpec build() {
            return new ErrorSpec(jsonFrom, exitCodes, authWhen, authHint, exitHints);
        }
    }
}
