package io.llmservice.spi;

import java.math.BigDecimal;

/**
 * Room held in a budget for one call. Exactly one of {@link #settle(BigDecimal)} or
 * {@link #release()} must be called; both are idempotent after the first.
 */
public interface BudgetReservation {

    /** The reserved amount. */
    BigDecimal reservedUsd();

    /** Replaces the reservation by the actual cost. */
    void settle(BigDecimal actualUsd);

    /** Gives the reserved room back (the call failed, timed out or was cancelled). */
    void release();
}
