package io.llmservice.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Budget bookkeeping kept by the telemetry store, so that spend lives next to the invocation log
 * and — for a shared file store — is shared by every process using it.
 *
 * <p>The contract that makes hard limits hold under any concurrency: {@link #reserve} reads the
 * budget's settled spend and live reservations and inserts the new reservation in one atomic
 * step (a lock, a transaction, a conditional update); a refused request reserves nothing. Spend
 * can exceed a hard limit only by what settled calls cost beyond their reservations.
 *
 * <p>A reservation that expires unsettled (its process died) is <em>charged as spent</em>, never
 * forgotten: at its reserved amount, or at the cost its invocation record shows when that record
 * was written (matched by request id and attempt), and it is counted in
 * {@link BudgetStanding#expiryCharges()}. Whenever a period is locked or read ({@link #reserve},
 * {@link #settle}, {@link #release}, {@link #standing}) its expired reservations are charged first,
 * so every figure is current. A late settle replaces such a charge by the actual cost; a late
 * release refunds it.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * BudgetLedger ledger = store.ledger();
 * ReservationOutcome o = ledger.reserve(ReservationRequest.builder("team-daily", "daily:2026-12-01")
 *         .limitUsd(new BigDecimal("25")).amountUsd(new BigDecimal("0.04"))
 *         .now(now).expiresAt(now.plusSeconds(660)).build());
 * if (o.granted()) {
 *     String id = o.reservationId().orElseThrow();
 *     ledger.settle(id, actualUsd);   // or ledger.release(id) when the call cost nothing
 * }
 * }</pre>
 */
public interface BudgetLedger {

    /** Atomically checks the limit and reserves, or refuses. */
    ReservationOutcome reserve(ReservationRequest request);

    /**
     * Replaces a reservation by the actual cost, counted in the reservation's period. Idempotent:
     * only the first settle or release of a reservation has an effect, so a settle retried after a
     * lost answer never charges twice. A reservation already charged at expiry is settled too: the
     * actual cost replaces the charge.
     */
    void settle(String reservationId, BigDecimal actualUsd);

    /**
     * Drops a reservation (the call failed, timed out or was cancelled). Idempotent. A reservation
     * already charged at expiry has its charge refunded.
     */
    void release(String reservationId);

    /** Settled spend, live reservations and expiry charges of a budget's period at {@code now}. */
    BudgetStanding standing(String budget, String periodKey, Instant now);

    /**
     * The actual costs of the most recent settled calls of {@code agent} on {@code tool}/{@code model},
     * newest first, at most {@code limit} (each call once, however many budgets it was settled in).
     * Used to size reservations from history. The default keeps no history and returns an empty list.
     */
    default List<BigDecimal> recentCosts(String agent, String tool, String model, int limit) {
        return List.of();
    }
}
