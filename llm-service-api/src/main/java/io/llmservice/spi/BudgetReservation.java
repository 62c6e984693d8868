package io.llmservice.spi;

import java.math.BigDecimal;

/**
 * Room held in a budget for one call. Exactly one of {@link #settle(BigDecimal)} or
 * {@link #release()} must be called; both are idempotent after the first that returns. One that
 * throws (the store could not be reached) leaves the reservation open: the service calls it again,
 * with the same amount, until it returns, so an implementation must apply it at most once.
 *
 * <pre>{@code
 * BudgetReservation r = policy.reserve(request);
 * try {
 *     ToolResult result = adapter.invoke(invocation);
 *     r.settle(costOf(result));
 * } finally {
 *     r.release();   // a no-op after settle
 * }
 * }</pre>
 *
 * <p>Thread-safe: the service may settle on one thread and release on another.
 */
public interface BudgetReservation {

    /** The reserved amount. */
    BigDecimal reservedUsd();

    /** Replaces the reservation by the actual cost. */
    void settle(BigDecimal actualUsd);

    /** Gives the reserved room back (the call failed, timed out or was cancelled). */
    void release();
}
