package io.llmservice.spi;

import io.llmservice.Ticker;
import io.llmservice.config.OsFamily;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ToolAdapterProvider} gets besides the tool definition.
 *
 * <pre>{@code
 * public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
 *     // declared in YAML (tools.acme.env: {ACME_TOKEN: ${ACME_TOKEN}}), so the redactor knows its value
 *     String token = tool.env().get("ACME_TOKEN");
 *     String binary = tool.binaryFor(context.os());
 *     return new AcmeAdapter(binary, token, context.clock(), context.redactor());
 * }
 * }</pre>
 *
 * <p>Text an adapter takes from its tool (standard error, the tool's own error message, a quote
 * of its output) goes through {@link #redactor()} before it becomes an exception message or a
 * log line: exceptions travel to the caller's logs, the CLI's error line and telemetry.
 *
 * <p>Immutable and thread-safe.
 *
 * @param clock       the service's clock, for timestamps only
 * @param environment the parent environment (for {@code PATH} lookup; never passed wholesale to children)
 * @param os          the operating system family the tool runs on
 * @param ticker      the service's monotonic source of intervals: deadlines, timeouts, elapsed time
 * @param redactor    masks secrets in tool text before it reaches a message, a log or telemetry
 */
public record AdapterContext(Clock clock, Map<String, String> environment, OsFamily os, Ticker ticker,
                             Redactor redactor) {
    public AdapterContext {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(redactor, "redactor");
    }

    /** A context whose redactor masks nothing ({@link Redactor#none()}); the service always passes its own. */
    public AdapterContext(Clock clock, Map<String, String> environment, OsFamily os, Ticker ticker) {
        this(clock, environment, os, ticker, Redactor.none());
    }

    @Override
    public String toString() {
        return "AdapterContext{os=" + os + ", environment=" + environment.size() + " variables}";
    }
}
