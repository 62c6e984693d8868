package io.llmservice.spi;

/**
 * Lets a {@link ToolAdapter} notice that its call was cancelled. Adapters register a callback
 * that stops their work (the CLI adapter kills the process tree).
 *
 * <p>Thread-safe: {@link #onCancel(Runnable)} callbacks run on the cancelling thread, once.
 *
 * <pre>{@code
 * public ToolResult invoke(ToolInvocation inv) {
 *     HttpCall call = client.newCall(inv.prompt());
 *     try (AutoCloseable unregister = inv.cancellation().onCancel(call::abort)) {
 *         return ToolResult.builder(call.execute()).build();
 *     } catch (Exception e) {
 *         if (inv.cancellation().isCancelled()) {
 *             throw new CallCancelledException("acme call cancelled");
 *         }
 *         throw new ToolException(ErrorCode.TOOL_IO, "acme", e.getMessage(), true, e);
 *     }
 * }
 * }</pre>
 */
public interface CancellationSignal {

    boolean isCancelled();

    /**
     * Registers a callback run once on cancellation; runs it at once when already cancelled.
     * Returns a handle that unregisters it.
     */
    AutoCloseable onCancel(Runnable callback);

    /** A signal that is never cancelled. */
    static CancellationSignal none() {
        return new CancellationSignal() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public AutoCloseable onCancel(Runnable callback) {
                return () -> { };
            }
        };
    }
}
