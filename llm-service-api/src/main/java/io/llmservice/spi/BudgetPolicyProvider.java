package io.llmservice.spi;

import io.llmservice.config.BudgetDefinition;

/**
 * Creates {@link BudgetPolicy}s for budgets whose {@code type:} equals {@link #type()}. Found with
 * {@link java.util.ServiceLoader}; the built-in {@code limit} type is one.
 */
public interface BudgetPolicyProvider {

    /** The YAML {@code type:} of budgets this provider serves ({@code limit} is built in). */
    String type();

    /**
     * Creates one budget.
     *
     * @param definition the budget's YAML
     * @param context    the store, clock, time zone and warning sink the budget works with
     */
    BudgetPolicy create(BudgetDefinition definition, BudgetContext context);
}
