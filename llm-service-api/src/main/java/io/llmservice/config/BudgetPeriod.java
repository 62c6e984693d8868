package io.llmservice.config;

import java.util.Locale;

/**
 * The period a budget's spend is counted over, in {@code policies.timezone}.
 *
 * <pre>{@code
 * // policies: {budgets: [{name: team-daily, period: daily, ...}]}
 * boolean daily = budget.period() == BudgetPeriod.DAILY;
 * }</pre>
 */
public enum BudgetPeriod {
    DAILY, WEEKLY, MONTHLY;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
