package io.llmservice.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Where one budget stands in one period.
 *
 * @param budget      the budget's name
 * @param periodKey   the period, e.g. {@code daily:2026-12-01}
 * @param spentUsd    settled spend
 * @param reservedUsd live (unexpired, unsettled, unreleased) reservations
 */
public record BudgetStanding(String budget, String periodKey, BigDecimal spentUsd, BigDecimal reservedUsd) {
    public BudgetStanding {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(periodKey, "periodKey");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
    }

    /** Spent plus reserved. */
    public BigDecimal committedUsd() {
        return spentUsd.add(reservedUsd);
    }
}
