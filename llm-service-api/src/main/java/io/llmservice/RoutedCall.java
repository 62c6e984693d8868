package io.llmservice;

import java.util.concurrent.CompletableFuture;

/**
 * A routed, not yet executed request. Single-use: {@link #execute()} or
 * {@link #executeAsync()} may be called once; a second call throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * RoutedCall call = llm.route(request);
 * System.out.println(call.plan().explain());   // no I/O has happened yet
 * LlmResponse response = call.execute();      // runs the tool, falling back as needed
 * }</pre>
 *
 * <p>Thread-safety: {@link #cancel()} may be called from any thread while another thread is in
 * {@link #execute()}; it kills the running tool's process tree and makes {@code execute()} throw
 * {@link CallCancelledException}.
 */
public interface RoutedCall {

    /** The routing decision. Computed without I/O beyond checking which binaries exist. */
    RoutePlan plan();

    /**
     * Runs the plan: the chosen candidate, then fallbacks on retriable failures.
     *
     * @throws NoRouteException            when no candidate may run
     * @throws AllCandidatesFailedException when every candidate failed, or a failure not worth a fallback
     *                                     ended the chain after earlier attempts or skipped candidates
     * @throws ToolException               when the only attempt, with nothing skipped, failed in a way
     *                                     not worth a fallback
     * @throws CallCancelledException       when cancelled or interrupted
     * @throws IllegalStateException       when already executed
     */
    LlmResponse execute();

    /** Like {@link #execute()} on the service's executor. Cancelling the future cancels the call. */
    CompletableFuture<LlmResponse> executeAsync();

    /** Cancels the call: kills the running tool, if any; a call not yet started will not start. */
    void cancel();

    boolean isCancelled();

    /** Whether {@code execute()} or {@code executeAsync()} has been called. */
    boolean isExecuted();
}
