package io.llmservice;

import java.time.Duration;

/**
 * Receives events from an {@link LlmService}. Every method has an empty default, so implement
 * only what you need. Called synchronously on the thread serving the request: keep it fast and
 * do not throw (exceptions are logged and swallowed; the call goes on).
 *
 * <pre>{@code
 * LlmService llm = LlmService.builder()
 *         .config(Path.of("llm-service.yaml"))
 *         .listener(new LlmServiceListener() {
 *             public void onAttempt(RequestInfo request, Attempt attempt) { metrics.record(request.agent(), attempt); }
 *         })
 *         .build();
 * }</pre>
 *
 * <p>The events of one request, in order: {@link #onRouted}; then {@link #onRateLimitWait} for each
 * wait of a rate limit with {@code on_limit: wait}; then per attempt {@link #onBudgetRefused} when a
 * budget refused it, and {@link #onAttempt(RequestInfo, Attempt)} when it ended, followed by
 * {@link #onFallback} when the next candidate is tried. A request refused before any attempt (rate
 * limited, no route, cancelled while waiting) ends with {@link #onRequestRefused} instead.
 * {@link #onWarning} may come at any point. The micrometer module ({@code LlmServiceMetrics}) is a
 * listener built on these events.
 */
public interface LlmServiceListener {
    /** The SLF4J logger every warning passed to {@link #onWarning} is also logged by. */
    String WARNING_LOGGER = "io.llmservice.warning";

    /** A request was routed. */
    default void onRouted(String requestId, RoutePlan plan) {
    }

    /**
     * One attempt ended, successfully or not. Called through
     * {@link #onAttempt(RequestInfo, Attempt)}, whose default delegates here: override one of the two.
     */
    default void onAttempt(String requestId, Attempt attempt) {
    }

    /**
     * One attempt ended, successfully or not, with the agent and team it ran for. The default calls
     * {@link #onAttempt(String, Attempt)}.
     */
    default void onAttempt(RequestInfo request, Attempt attempt) {
        onAttempt(request.requestId(), attempt);
    }

    /**
     * The attempt {@code failed} did not answer and the request goes on with the next candidate of
     * its plan, {@code next} (after {@code failed} was reported to {@link #onAttempt(RequestInfo, Attempt)}).
     */
    default void onFallback(RequestInfo request, Attempt failed, Candidate next) {
    }

    /**
     * A budget refused an attempt: {@code refusal.policy()} names it. With {@code downgraded} true the
     * budget has {@code on_exceed: downgrade} and the attempt runs on a cheaper model of the same tool
     * that every budget admits ({@code tool}/{@code model} are the ones refused); else the attempt ends
     * with outcome {@code budget_blocked}. Not called for a budget that could not be checked (its store
     * down, {@link ErrorCode#BUDGET_UNAVAILABLE}): that attempt is reported by {@code onAttempt} only.
     */
    default void onBudgetRefused(RequestInfo request, String tool, String model, BudgetExceededException refusal,
                                 boolean downgraded) {
    }

    /**
     * The request waits {@code wait} for the rate limit {@code scope} (as YAML writes it, e.g.
     * {@code {agent: reviewer}}) before trying again; called before each wait.
     */
    default void onRateLimitWait(RequestInfo request, String scope, Duration wait) {
    }

    /**
     * The request was refused before any attempt ran: {@code outcome} is {@link Outcome#RATE_LIMITED},
     * {@link Outcome#NO_ROUTE} or {@link Outcome#CANCELLED} (cancelled while waiting for a rate limit),
     * {@code reason} the exception the caller gets.
     */
    default void onRequestRefused(RequestInfo request, Outcome outcome, LlmServiceException reason) {
    }

    /**
     * A non-fatal warning, e.g. a soft budget crossing its {@code warn_at} threshold. Each warning is
     * also logged at WARN by the SLF4J logger {@value #WARNING_LOGGER}; an application that shows
     * warnings itself (as the {@code llm-service} command does) turns that logger off so each is shown once.
     */
    default void onWarning(ErrorCode code, String message) {
    }
}
