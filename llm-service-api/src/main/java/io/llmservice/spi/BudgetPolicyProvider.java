package io.llmservice.spi;

import io.llmservice.config.BudgetDefinition;

/**
 * Creates {@link BudgetPolicy}s for budgets whose {@code type:} equals {@link #type()}. Found with
 * {@link java.util.ServiceLoader}; the built-in {@code limit} type is one.
 *
 * <pre>{@code
 * public final class MonthlyCapProvider implements BudgetPolicyProvider {
 *     public String type() { return "monthly-cap"; }
 *     public BudgetPolicy create(BudgetDefinition definition, BudgetContext context) {
 *         return new MonthlyCap(definition, context.store().ledger(), context.clock());
 *     }
 * }
 * // META-INF/services/io.llmservice.spi.BudgetPolicyProvider: com.example.MonthlyCapProvider
 * // YAML: policies: {budgets: [{name: cap, type: monthly-cap, ...}]}
 * }</pre>
 *
 * <p>Must have a public no-argument constructor; {@code create} is called once per budget when the service is built.
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
