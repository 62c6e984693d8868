package io.llmservice.spi;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * A call asking a budget for room: who runs what, and the estimated cost to reserve.
 *
 * @param requestId    the request's id
 * @param agent        the agent
 * @param team         the agent's team, when it has one
 * @param tool         the candidate tool
 * @param model        the candidate catalogue model
 * @param estimatedUsd the cost to reserve
 */
public record BudgetRequest(String requestId, String agent, Optional<String> team, String tool, String model,
                            BigDecimal estimatedUsd) {
    public BudgetRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(estimatedUsd, "estimatedUsd");
    }
}
