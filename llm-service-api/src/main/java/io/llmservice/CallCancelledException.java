package io.llmservice;

/**
 * The call was cancelled with {@link RoutedCall#cancel()} or its thread was interrupted; the
 * tool's process tree was killed. When raised because of an interrupt, the thread's interrupt
 * flag is set again.
 *
 * <pre>{@code
 * RoutedCall call = llm.route(request);
 * CompletableFuture<LlmResponse> answer = call.executeAsync();
 * call.cancel();   // from any thread
 * // answer completes exceptionally with a CallCancelledException, code ErrorCode.CANCELLED
 * }</pre>
 */
public class CallCancelledException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    public CallCancelledException(String message) {
        super(ErrorCode.CANCELLED, message);
    }
}
