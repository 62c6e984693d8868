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
 *     String token = context.environment().get("ACME_TOKEN");   // read, never handed to a child wholesale
 *     String binary = tool.binaryFor(context.os());
 *     return new AcmeAdapter(binary, token, context.clock());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param clock       the service's clock, for timestamps only
 * @param environment the parent environment (for {@code PATH} lookup; never passed wholesale to children)
 * @param os          the operating system family the tool runs on
 * @param ticker      the service's monotonic source of intervals: deadlines, timeouts, elapsed time
 */
public record AdapterContext(Clock clock, Map<String, String> environment, OsFamily os, Ticker ticker) {
    public AdapterContext {
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public String toString() {
        return "AdapterContext{os=" + os + ", environment=" + environment.size() + " variables}";
    }
}
