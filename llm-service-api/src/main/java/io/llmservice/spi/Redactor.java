package io.llmservice.spi;

/**
 * Masks secrets in text that came from a tool (its standard error, an error message it
 * printed, a quote of its output) before that text becomes an exception message, a log line or
 * a telemetry record. The service builds one for its configuration and hands it to every
 * adapter through {@link AdapterContext#redactor()}; an adapter passes every piece of tool text
 * it puts in a message through it, once, where the message is made.
 *
 * <pre>{@code
 * String stderr = new String(process.getErrorStream().readAllBytes(), UTF_8);
 * throw new ToolException(ErrorCode.TOOL_EXIT, tool.name(), "failed: " + context.redactor().redact(stderr), false);
 * }</pre>
 *
 * <p>The service's redactor masks the token shapes of the common vendors (Anthropic, OpenAI,
 * Google, GitHub, AWS, Slack, JWTs, PEM private keys, {@code password=}-style pairs) and the
 * exact values of every tool's {@code env:} entries and of every {@code ${VAR}} the
 * configuration expanded; each is replaced by {@code [REDACTED]} (see docs/telemetry.md).
 *
 * <p>Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface Redactor {

    /** The text with every secret replaced by a marker; the text itself when it holds none. */
    String redact(String text);

    /** A redactor that masks nothing, for tests and adapters run outside a service. */
    static Redactor none() {
        return text -> text;
    }
}
