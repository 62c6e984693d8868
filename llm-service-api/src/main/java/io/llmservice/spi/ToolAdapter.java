package io.llmservice.spi;

/**
 * Runs one configured tool. Created once per tool by its {@link ToolAdapterProvider} and shared
 * by all requests: implementations must be thread-safe.
 *
 * <pre>{@code
 * final class EchoAdapter implements ToolAdapter {
 *     public Availability availability() { return Availability.available("in-process"); }
 *     public ToolResult invoke(ToolInvocation inv) {
 *         return ToolResult.builder(inv.prompt()).usage(Usage.of(1, 1, 0, 0)).build();
 *     }
 * }
 * }</pre>
 */
public interface ToolAdapter extends AutoCloseable {

    /** Whether the tool can run here. Must be cheap (the result may be cached); no tool is started. */
    Availability availability();

    /**
     * Runs the tool once.
     *
     * @throws io.llmservice.ToolException            on any failure, with {@code retriable()} set right
     * @throws io.llmservice.CallCancelledException   when the invocation's signal was cancelled
     */
    ToolResult invoke(ToolInvocation invocation);

    /** Stops everything this adapter still runs. */
    @Override
    default void close() {
    }
}
