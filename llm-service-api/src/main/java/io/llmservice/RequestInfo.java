package io.llmservice;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a request is served for, as the {@link LlmServiceListener} events tell it: the request id,
 * the agent and the agent's team. Metrics tag by agent and team; the request id is for correlating
 * events with logs and must not become a metric tag (one time series per request).
 *
 * <pre>{@code
 * public void onAttempt(RequestInfo request, Attempt attempt) {
 *     costByTeam.merge(request.team().orElse("none"), attempt.costUsd().orElse(BigDecimal.ZERO), BigDecimal::add);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param requestId the request's id
 * @param agent     the agent the request was routed for
 * @param team      the agent's team, when the configuration gives one
 */
public record RequestInfo(String requestId, String agent, Optional<String> team) {
    public RequestInfo {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
    }
}
