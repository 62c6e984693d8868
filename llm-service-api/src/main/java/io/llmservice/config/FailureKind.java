package io.llmservice.config;

/**
 * What a tool's failure means for routing, as a tool's {@code errors.exit_codes} names it
 * (YAML {@code auth}, {@code rate_limit}, {@code server_error}, {@code unreachable},
 * {@code retriable}, {@code fatal}).
 *
 * <pre>{@code
 * ErrorSpec errors = ErrorSpec.builder().exitCode(145, FailureKind.AUTH).build();
 * }</pre>
 */
public enum FailureKind {
    /** The credentials are missing or rejected: not retriable, the message carries the tool's auth hint. */
    AUTH("auth"),
    /** The vendor's rate limit or quota: another candidate may serve. */
    RATE_LIMIT("rate_limit"),
    /** The vendor's API failed (HTTP 5xx): another candidate may serve. */
    SERVER_ERROR("server_error"),
    /** The API could not be reached: another candidate may serve. */
    UNREACHABLE("unreachable"),
    /** Any other failure worth a fallback. */
    RETRIABLE("retriable"),
    /** A failure no fallback cures (bad setup, bad request): not retriable. */
    FATAL("fatal");

    private final String yamlName;

    FailureKind(String yamlName) {
        this.yamlName = yamlName;
    }

    /** As written in YAML. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether another candidate may succeed where this failure happened. */
    public boolean retriable() {
        return this != AUTH && this != FATAL;
    }
}
