package io.llmservice;

import io.llmservice.config.LimitType;
import io.llmservice.config.Scope;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Where one budget stands in its current period: settled spend and live reservations against
 * the limit. From {@link LlmService#budgets()}; with the H2 store the figures include every
 * process sharing the telemetry path.
 *
 * <pre>{@code
 * for (BudgetStatus b : llm.budgets()) {
 *     System.out.printf("%s (%s): $%s left of $%s%n", b.name(), b.period(), b.remainingUsd(), b.limitUsd());
 * }
 * }</pre>
 *
 * @param name        the budget's name
 * @param scope       what it applies to
 * @param period      the current period's label, e.g. {@code daily 2026-12-01}
 * @param limitType   hard or soft
 * @param limitUsd    the limit
 * @param spentUsd    settled spend in the period
 * @param reservedUsd live reservations of calls still running
 */
public record BudgetStatus(String name, Scope scope, String period, LimitType limitType, BigDecimal limitUsd,
                           BigDecimal spentUsd, BigDecimal reservedUsd) {
    public BudgetStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(limitType, "limitType");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
    }

    /** What is left before the limit: limit − spent − reserved, never below zero. */
    public BigDecimal remainingUsd() {
        BigDecimal left = limitUsd.subtract(spentUsd).subtract(reservedUsd);
        return left.signum() < 0 ? BigDecimal.ZERO : left;
    }
}
