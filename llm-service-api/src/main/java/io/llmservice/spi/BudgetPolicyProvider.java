package io.llmservice.spi;

import io.llmservice.config.BudgetDefinition;

import java.time.Clock;
import java.time.ZoneId;

/** Creates {@link BudgetPolicy}s for budgets whose {@code type:} equals {@link #type()}. */
public interface BudgetPolicyProvider {

    /** The YAML {@code type:} of budgets this provider serves ({@code limit} is built in). */
    String type();

    /**
     * Creates one budget.
     *
     * @param definition the budget's YAML
     * @param store      where spend and reservations are kept (atomically)
     * @param clock      for periods
     * @param zone       {@code policies.timezone}
     */
    BudgetPolicy create(BudgetDefinition definition, TelemetryStore store, Clock clock, ZoneId zone);
}
