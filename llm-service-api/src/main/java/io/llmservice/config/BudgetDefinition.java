package io.llmservice.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One entry of {@code policies.budgets}.
 *
 * @param name      unique name, used in errors and reports
 * @param type      the budget policy provider's type ({@code limit} is built in)
 * @param scope     which calls count against it
 * @param period    daily, weekly or monthly, in {@code policies.timezone}
 * @param limitUsd  the limit in US dollars, &gt; 0
 * @param limitType hard (refuse) or soft (warn)
 * @param warnAt    fraction of the limit at which a warning is emitted, in (0, 1]
 * @param onExceed  block, or downgrade to a cheaper model that fits
 */
public record BudgetDefinition(String name, String type, Scope scope, BudgetPeriod period, BigDecimal limitUsd,
                               LimitType limitType, BigDecimal warnAt, OnExceed onExceed) {
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
        if (limitUsd.signum() <= 0) {
            throw new IllegalArgumentException("budget " + name + ": limit.usd must be > 0, was " + limitUsd);
        }
        if (warnAt.signum() <= 0 || warnAt.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("budget " + name + ": warn_at must be in (0, 1], was " + warnAt);
        }
    }
}
