package io.llmservice.spi;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A call asking a budget for room: who runs what, the estimated cost to reserve, and how long the
 * call may run (so a reservation of a process that dies mid-call expires soon after).
 *
 * <pre>{@code
 * // in a BudgetPolicy
 * public boolean applies(BudgetRequest r) {
 *     return r.team().filter("platform"::equals).isPresent() && r.model().startsWith("claude-");
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param requestId    the request's id
 * @param agent        the agent
 * @param team         the agent's team, when it has one
 * @param tool         the candidate tool
 * @param model        the candidate catalogue model
 * @param estimatedUsd the cost to reserve, &ge; 0
 * @param maxDuration  the longest the call may run (the request's or the tool's timeout), &gt; 0
 * @param attempt      the attempt's number within the request (1, 2, …), or 0 when not known
 */
public record BudgetRequest(String requestId, String agent, Optional<String> team, String tool, String model,
                            BigDecimal estimatedUsd, Duration maxDuration, int attempt) {
    public BudgetRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(estimatedUsd, "estimatedUsd");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (estimatedUsd.signum() < 0) {
            throw new IllegalArgumentException("estimatedUsd must be >= 0, was " + estimatedUsd);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be > 0, was " + maxDuration);
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
    }

    /** A request that does not say which attempt it is (attempt 0). */
    public BudgetRequest(String requestId, String agent, Optional<String> team, String tool, String model,
                         BigDecimal estimatedUsd, Duration maxDuration) {
        this(requestId, agent, team, tool, model, estimatedUsd, maxDuration, 0);
    }
}
