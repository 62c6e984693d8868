package io.llmservice.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Where one budget stands in one period.
 *
 * @param budget           the budget's name
 * @param periodKey        the period, e.g. {@code daily:2026-12-01}
 * @param spentUsd         settled spend, including what was charged at expiry
 * @param reservedUsd      live (unexpired, unsettled, unreleased) reservations
 * @param expiryChargedUsd the part of {@code spentUsd} charged for reservations that expired
 *                         unsettled (their process died): the cost their invocation record shows,
 *                         else the reserved amount
 * @param expiryCharges    how many reservations were charged at expiry, &ge; 0
 */
public record BudgetStanding(String budget, String periodKey, BigDecimal spentUsd, BigDecimal reservedUsd,
                             BigDecimal expiryChargedUsd, long expiryCharges) {
    public BudgetStanding {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(periodKey, "periodKey");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(expiryChargedUsd, "expiryChargedUsd");
        if (expiryCharges < 0) {
            throw new IllegalArgumentException("expiryCharges must be >= 0, was " + expiryCharges);
        }
    }

    /** A standing with nothing charged at expiry. */
    public BudgetStanding(String budget, String periodKey, BigDecimal spentUsd, BigDecimal reservedUsd) {
        this(budget, periodKey, spentUsd, reservedUsd, BigDecimal.ZERO, 0);
    }

    /** Spent plus reserved. */
    public BigDecimal committedUsd() {
        return spentUsd.add(reservedUsd);
    }

    /** This standing with {@code reservedUsd} replaced (for "before" and "after" views of one step). */
    public BudgetStanding withReservedUsd(BigDecimal reservedUsd) {
        return new BudgetStanding(budget, periodKey, spentUsd, reservedUsd, expiryChargedUsd, expiryCharges);
    }
}
