package io.llmservice;

/**
 * Receives events from an {@link LlmService}. Every method has an empty default, so implement
 * only what you need. Called synchronously on the thread serving the request: keep it fast and
 * do not throw (exceptions are logged and swallowed).
 *
 * <pre>{@code
 * LlmService llm = LlmService.builder()
 *         .config(Path.of("llm-service.yaml"))
 *         .listener(new LlmServiceListener() {
 *             public void onAttempt(String requestId, Attempt attempt) { metrics.record(attempt); }
 *         })
 *         .build();
 * }</pre>
 */
public interface LlmServiceListener {
    /** The SLF4J logger every warning passed to {@link #onWarning} is also logged by. */
    String WARNING_LOGGER = "io.llmservice.warning";

    /** A request was routed. */
    default void onRouted(String requestId, RoutePlan plan) {
    }

    /** One attempt ended, successfully or not. */
    default void onAttempt(String requestId, Attempt attempt) {
    }

    /**
     * A non-fatal warning, e.g. a soft budget crossing its {@code warn_at} threshold. Each warning is
     * also logged at WARN by the SLF4J logger {@value #WARNING_LOGGER}; an application that shows
     * warnings itself (as the {@code llm-service} command does) turns that logger off so each is shown once.
     */
    default void onWarning(ErrorCode code, String message) {
    }
}
