package io.llmservice.spi;

import io.llmservice.BudgetExceededException;

/**
 * One budget. {@link #reserve(BudgetRequest)} checks and reserves in one atomic step, so
 * concurrent calls cannot all pass a check and then overspend together. Thread-safe.
 */
public interface BudgetPolicy {

    /** The budget's name from YAML. */
    String name();

    /** Whether a call for this agent/team/tool/model counts against this budget. */
    boolean applies(BudgetRequest request);

    /**
     * Reserves the estimated cost, or refuses.
     *
     * @throws BudgetExceededException when a hard limit would be exceeded
     */
    BudgetReservation reserve(BudgetRequest request);
}
