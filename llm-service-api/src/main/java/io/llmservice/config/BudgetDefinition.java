package io.llmservice.config;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code policies.budgets}.
 *
 * <pre>{@code
 * for (BudgetDefinition b : llm.config().policies().budgets()) {
 *     System.out.println(b.name() + ": $" + b.limitUsd() + " " + b.period().yamlName() + " " + b.limitType().yamlName()
 *             + " for " + b.scope());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name      unique name, used in errors and reports
 * @param type      the budget policy provider's type ({@code limit} is built in)
 * @param scope     which calls count against it
 * @param period    daily, weekly or monthly, in {@code policies.timezone}
 * @param limitUsd  the limit in US dollars, &gt; 0
 * @param limitType hard (refuse) or soft (warn)
 * @param warnAt    fraction of the limit at which a warning is emitted, in (0, 1]
 * @param onExceed  block, or downgrade to a cheaper model that fits
 * @param reserveUsd {@code reserve_usd}: the least a call this budget applies to reserves, &gt; 0, when
 *                  set (a call reserves the largest of its prompt estimate, its recent actual cost and
 *                  this, capped by {@code policies.max_reservation_usd})
 */
public record BudgetDefinition(String name, String type, Scope scope, BudgetPeriod period, BigDecimal limitUsd,
                               LimitType limitType, BigDecimal warnAt, OnExceed onExceed,
                               Optional<BigDecimal> reserveUsd) {
    public static final String DEFAULT_TYPE = "limit";
    public static final BigDecimal DEFAULT_WARN_AT = new BigDecimal("0.8");

    public BudgetDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(limitUsd, "limitUsd");
        Objects.requireNonNull(limitType, "limitType");
        Objects.requireNonNull(warnAt, "warnAt");
        Objects.requireNonNull(onExceed, "onExceed");
        Objects.requireNonNull(reserveUsd, "reserveUsd");
        if (limitUsd.signum() <= 0) {
            throw new IllegalArgumentException("budget " + name + ": limit.usd must be > 0, was " + limitUsd);
        }
        if (warnAt.signum() <= 0 || warnAt.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("budget " + name + ": warn_at must be in (0, 1], was " + warnAt);
        }
        if (reserveUsd.isPresent() && reserveUsd.get().signum() <= 0) {
            throw new IllegalArgumentException("budget " + name + ": reserve_usd must be > 0, was "
                    + reserveUsd.get().toPlainString());
        }
    }

    /** A budget without {@code reserve_usd}. */
    public BudgetDefinition(String name, String type, Scope scope, BudgetPeriod period, BigDecimal limitUsd,
                            LimitType limitType, BigDecimal warnAt, OnExceed onExceed) {
        this(name, type, scope, period, limitUsd, limitType, warnAt, onExceed, Optional.empty());
    }
}
