package io.llmservice.config;

import java.util.Locale;

/**
 * What a hard budget does with a request that does not fit: refuse it, or route to a cheaper compatible model that fits.
 *
 * <pre>{@code
 * // policies: {budgets: [{name: team-daily, on_exceed: downgrade, ...}]}
 * boolean mayDowngrade = budget.onExceed() == OnExceed.DOWNGRADE;
 * }</pre>
 */
public enum OnExceed {
    BLOCK, DOWNGRADE;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
