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
 * <p>The service makes these; a stand-in for {@link LlmService} in a test builds one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * BudgetStatus s = BudgetStatus.builder()
 *         .name("team-daily").scope(Scope.global()).period("daily 2026-12-01")
 *         .limitType(LimitType.HARD).limitUsd(new BigDecimal("25"))
 *         .spentUsd(new BigDecimal("24.10"))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
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

    /**
     * A builder with nothing set: {@code name}, {@code scope}, {@code period}, {@code limitType}
     * and {@code limitUsd} are required; the spent, reserved and expiry-charged amounts default to
     * zero and {@code expiryCharges} to 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this status's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().name(name).scope(scope).period(period).limitType(limitType).limitUsd(limitUsd)
                .spentUsd(spentUsd).reservedUsd(reservedUsd).expiryChargedUsd(expiryChargedUsd)
                .expiryCharges(expiryCharges);
    }

    /** What is left before the limit: limit − spent − reserved, never below zero. */
    public BigDecimal remainingUsd() {
        BigDecimal left = limitUsd.subtract(spentUsd).subtract(reservedUsd);
        return left.signum() < 0 ? BigDecimal.ZERO : left;
    }

    /** Builds {@link BudgetStatus}es; see {@link BudgetStatus#builder()} for the defaults. Not thread-safe. */
    public static final class Builder {
        private String name;
        private Scope scope;
        private String period;
        private LimitType limitType;
        private BigDecimal limitUsd;
        private BigDecimal spentUsd = BigDecimal.ZERO;
        private BigDecimal reservedUsd = BigDecimal.ZERO;
        private BigDecimal expiryChargedUsd = BigDecimal.ZERO;
        private long expiryCharges;

        private Builder() {
        }

        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        public Builder period(String period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        public Builder limitType(LimitType limitType) {
            this.limitType = Objects.requireNonNull(limitType, "limitType");
            return this;
        }

        public Builder limitUsd(BigDecimal limitUsd) {
            this.limitUsd = Objects.requireNonNull(limitUsd, "limitUsd");
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
         * The status.
         *
         * @throws IllegalStateException    when a required part was not set, naming it
         * @throws IllegalArgumentException when {@code expiryCharges} is negative, naming the value
         */
        public BudgetStatus build() {
            require(name, "name");
            require(scope, "scope");
            require(period, "period");
            require(limitType, "limitType");
            require(limitUsd, "limitUsd");
            return new BudgetStatus(name, scope, period, limitType, limitUsd, spentUsd, reservedUsd,
                    expiryChargedUsd, expiryCharges);
        }

        private static void require(Object value, String part) {
            if (value == null) {
                throw new IllegalStateException("BudgetStatus." + part + " is required and was not set");
            }
        }
    }
}
