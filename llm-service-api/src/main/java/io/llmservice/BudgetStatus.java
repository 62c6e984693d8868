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
 * @param expiryChargedUsd the part of {@code spentUsd} charged for reservations that expired unsettled
 *                    (a process died mid-call): the cost its invocation record shows, else the
 *                    reserved amount
 * @param expiryCharges how many reservations were charged at expiry in the period
 */
public record BudgetStatus(String name, Scope scope, String period, LimitType limitType, BigDecimal limitUsd,
                           BigDecimal spentUsd, BigDecimal reservedUsd, BigDecimal expiryChargedUsd,
                           long expiryCharges) {
    public BudgetStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(limitType, "limitType");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(expiryChargedUsd, "expiryChargedUsd");
        if (expiryCharges < 0) {
            throw new IllegalArgumentException("expiryCharges must be >= 0, was " + expiryCharges);
        }
    }

    /** A status with nothing charged at expiry. */
    public BudgetStatus(String name, Scope scope, String period, LimitType limitType, BigDecimal limitUsd,
                        BigDecimal spentUsd, BigDecimal reservedUsd) {
        this(name, scope, period, limitType, limitUsd, spentUsd, reservedUsd, BigDecimal.ZERO, 0);
    }

    /** What is left before the limit: limit − spent − reserved, never below zero. */
    public BigDecimal remainingUsd() {
        BigDecimal left = limitUsd.subtract(spentUsd).subtract(reservedUsd);
        return left.signum() < 0 ? BigDecimal.ZERO : left;
    }
}
