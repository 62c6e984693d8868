package io.llmservice.config;

import java.util.Locale;

/**
 * A budget limit's kind: {@code hard} refuses requests that would exceed it; {@code soft} lets them run and warns.
 *
 * <pre>{@code
 * for (BudgetStatus b : llm.budgets()) {
 *     if (b.limitType() == LimitType.HARD && b.remainingUsd().signum() == 0) {
 *         System.err.println(b.name() + " refuses new requests until " + b.period() + " ends");
 *     }
 * }
 * }</pre>
 */
public enum LimitType {
    HARD, SOFT;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
