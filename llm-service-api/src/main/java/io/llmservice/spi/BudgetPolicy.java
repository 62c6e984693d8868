package io.llmservice.spi;

import io.llmservice.BudgetExceededException;

/**
 * One budget. {@link #reserve(BudgetRequest)} checks and reserves in one atomic step (through
 * {@link BudgetLedger#reserve}), so concurrent calls cannot all pass a check and then overspend
 * together. The service reserves before the tool runs and settles or releases every reservation
 * exactly once afterwards; warnings go to {@link BudgetContext#warn(String)}. Thread-safe.
 *
 * <pre>{@code
 * BudgetReservation r = policy.reserve(request);   // or BudgetExceededException: nothing runs
 * try { ...run the tool...; r.settle(actualUsd); } finally { r.release(); }   // release after settle is a no-op
 * }</pre>
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
