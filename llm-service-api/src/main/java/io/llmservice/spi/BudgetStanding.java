package io.llmservice.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Where one budget stands in one period, as a {@link BudgetLedger} reports it. Build one with
 * {@link #builder()}; the canonical constructor stays public, but it breaks whenever a component
 * is added.
 *
 * <pre>{@code
 * BudgetStanding s = BudgetStanding.builder()
 *         .budget("team-daily").periodKey("daily:2026-12-01")
 *         .spentUsd(new BigDecimal("3.20")).reservedUsd(new BigDecimal("0.40"))
 *         .build();
 * BigDecimal committed = s.committedUsd();                                   // 3.60
 * BudgetStanding after = s.withReservedUsd(s.reservedUsd().add(new BigDecimal("0.05")));
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
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

    /**
     * A builder with nothing set: {@code budget} and {@code periodKey} are required, the amounts
     * default to zero and {@code expiryCharges} to 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this standing's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().budget(budget).periodKey(periodKey).spentUsd(spentUsd).reservedUsd(reservedUsd)
                .expiryChargedUsd(expiryChargedUsd).expiryCharges(expiryCharges);
    }

    /** Spent plus reserved. */
    public BigDecimal committedUsd() {
        return spentUsd.add(reservedUsd);
    }

    /** This standing with {@code reservedUsd} replaced (for "before" and "after" views of one step). */
    public BudgetStanding withReservedUsd(BigDecimal reservedUsd) {
        return toBuilder().reservedUsd(reservedUsd).build();
    }

    /** Builds {@link BudgetStanding}s; see {@link BudgetStanding#builder()} for the defaults. Not thread-safe. */
    public static final class Builder {
        private String budget;
        private String periodKey;
        private BigDecimal spentUsd = BigDecimal.ZERO;
        private BigDecimal reservedUsd = BigDecimal.ZERO;
        private BigDecimal expiryChargedUsd = BigDecimal.ZERO;
        private long expiryCharges;

        private Builder() {
        }

        public Builder budget(String budget) {
            this.budget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        public Builder periodKey(String periodKey) {
            this.periodKey = Objects.requireNonNull(periodKey, "periodKey");
            return this;
        }

        public Builder spentUsd(BigDecimal spentUsd) {
            this.spentUsd = Objects.requireNonNull(spentUsd, "spentUsd");
            return this;
        }

        public Builder reservedUsd(BigDecimal reservedUsd) {
            this.reservedUsd = Objects.requireNonNull(reservedUsd, "reservedUsd");
            return this;
        }

        public Builder expiryChargedUsd(BigDecimal expiryChargedUsd) {
            this.expiryChargedUsd = Objects.requireNonNull(expiryChargedUsd, "expiryChargedUsd");
            return this;
        }

        public Builder expiryCharges(long expiryCharges) {
            this.expiryCharges = expiryCharges;
            return this;
        }

        /**
         * The standing.
         *
         * @throws IllegalStateException    when {@code budget} or {@code periodKey} was not set
         * @throws IllegalArgumentException when {@code expiryCharges} is negative, naming the value
         */
        public BudgetStanding build() {
            if (budget == null) {
                throw new IllegalStateException("BudgetStanding.budget is required and was not set");
            }
            if (periodKey == null) {
                throw new IllegalStateException("BudgetStanding.periodKey is required and was not set");
            }
            return new BudgetStanding(budget, periodKey, spentUsd, reservedUsd, expiryChargedUsd, expiryCharges);
        }
    }
}
