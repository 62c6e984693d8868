package io.llmservice.spi;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Budget bookkeeping kept by the telemetry store, so that spend lives next to the invocation log
 * and — for a shared file store — is shared by every process using it.
 *
 * <p>The contract that makes hard limits hold under any concurrency: {@link #reserve} reads the
 * budget's settled spend and live reservations and inserts the new reservation in one atomic
 * step (a lock, a transaction, a conditional update); a refused request reserves nothing. Spend
 * can exceed a hard limit only by what settled calls cost beyond their reservations.
 *
 * <p>Thread-safe.
 */
public interface BudgetLedger {

    /** Atomically checks the limit and reserves, or refuses. */
    ReservationOutcome reserve(ReservationRequest request);

    /**
     * Replaces a reservation by the actual cost, counted in the reservation's period. Idempotent:
     * only the first settle or release of a reservation has an effect. A reservation that has
     * already expired is still settled (the money was spent).
     */
    void settle(String reservationId, BigDecimal actualUsd);

    /** Drops a reservation (the call failed, timed out or was cancelled). Idempotent. */
    void release(String reservationId);

    /** Settled spend and live reservations of a budget's period at {@code now}. */
    BudgetStanding standing(String budget, String periodKey, Instant now);
}
