package io.llmservice.core.internal.telemetry;

import io.llmservice.Outcome;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The in-process {@link BudgetLedger}: one lock makes check-and-reserve atomic. Shared only within
 * one JVM; use the H2 store when several processes share a budget.
 *
 * <p>Same accounting as the H2 ledger: whenever a period is locked or read, its reservations past
 * their expiry are charged as spent (at the cost the call's invocation record shows, when the
 * {@link InvocationLookup} finds one, else at the reserved amount) and counted as expiry charges; a
 * late settle replaces such a charge, a late release refunds it. Keeps the last
 * {@link #HISTORY} settled costs per agent/tool/model for {@link #recentCosts}.
 *
 * <p>Thread-safe.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {
    /** Settled costs kept per agent/tool/model. */
    static final int HISTORY = 256;

    /** Finds the invocation record of one attempt of a request, if it was recorded. */
    @FunctionalInterface
    public interface InvocationLookup {
        Optional<InvocationRecord> find(String requestId, int attempt);
    }

    private static final class Period {
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal expiryCharged = BigDecimal.ZERO;
        long expiryCharges;
        final Map<String, Reservation> live = new HashMap<>();
    }

    private static final class Reservation {
        final ReservationRequest request;
        /** Null while live; the amount charged once expired. */
        BigDecimal charged;

        Reservation(ReservationRequest request) {
            this.request = request;
        }

        String periodKey() {
            return key(request.budget(), request.periodKey());
        }
    }

    private final Map<String, Period> periods = new HashMap<>();
    /** Live and expiry-charged reservations; settled and released ones are forgotten. */
    private final Map<String, Reservation> reservations = new HashMap<>();
    private final Map<String, Deque<BigDecimal>> history = new HashMap<>();
    private final Map<String, String> lastSettledCall = new HashMap<>();
    private final InvocationLookup invocations;

    /** A ledger that cannot see invocation records: an expired reservation is charged its reserved amount. */
    public InMemoryBudgetLedger() {
        this((requestId, attempt) -> Optional.empty());
    }

    public InMemoryBudgetLedger(InvocationLookup invocations) {
        this.invocations = Objects.requireNonNull(invocations, "invocations");
    }

    @Override
    public synchronized ReservationOutcome reserve(ReservationRequest r) {
        Period p = periods.computeIfAbsent(key(r.budget(), r.periodKey()), k -> new Period());
        chargeExpired(p, r.now());
        BudgetStanding before = standing(r.budget(), r.periodKey(), p, r.now());
        if (r.enforce() && before.committedUsd().add(r.amountUsd()).compareTo(r.limitUsd()) > 0) {
            return new ReservationOutcome(false, Optional.empty(), before);
        }
        String id = UUID.randomUUID().toString();
        Reservation res = new Reservation(r);
        p.live.put(id, res);
        reservations.put(id, res);
        return new ReservationOutcome(true, Optional.of(id), before);
    }

    @Override
    public synchronized void settle(String reservationId, BigDecimal actualUsd) {
        Objects.requireNonNull(actualUsd, "actualUsd");
        Reservation res = close(reservationId, actualUsd);
        if (res == null || res.request.agent().isEmpty()) {
            return;
        }
        // the history that sizes reservations holds each call once, however many budgets it counts in
        ReservationRequest r = res.request;
        String call = r.requestId() + '\u0000' + r.attempt();
        String hk = r.agent() + '\u0000' + r.tool() + '\u0000' + r.model();
        if (!call.equals(lastSettledCall.put(hk, call))) {
            Deque<BigDecimal> costs = history.computeIfAbsent(hk, k -> new ArrayDeque<>());
            costs.addFirst(actualUsd);
            if (costs.size() > HISTORY) {
                costs.removeLast();
            }
        }
    }

    @Override
    public synchronized void release(String reservationId) {
        close(reservationId, null);
    }

    /**
     * Closes a live or expiry-charged reservation, returning it, or null when it is unknown or already
     * closed. A reservation past its expiry but not charged yet is simply settled or released: the
     * result is the same as charging it first and then replacing the charge.
     */
    private Reservation close(String reservationId, BigDecimal actualUsd) {
        Reservation res = reservations.remove(reservationId);
        if (res == null) {
            return null;
        }
        Period p = periods.get(res.periodKey());
        p.live.remove(reservationId);
        BigDecimal actual = actualUsd == null ? BigDecimal.ZERO : actualUsd;
        if (res.charged != null) {
            p.spent = p.spent.add(actual.subtract(res.charged));
            p.expiryCharged = p.expiryCharged.subtract(res.charged);
            p.expiryCharges--;
        } else {
            p.spent = p.spent.add(actual);
        }
        return res;
    }

    @Override
    public synchronized BudgetStanding standing(String budget, String periodKey, Instant now) {
        Period p = periods.get(key(budget, periodKey));
        if (p == null) {
            return BudgetStanding.builder().budget(budget).periodKey(periodKey).build();
        }
        chargeExpired(p, now);
        return standing(budget, periodKey, p, now);
    }

    @Override
    public synchronized List<BigDecimal> recentCosts(String agent, String tool, String model, int limit) {
        Deque<BigDecimal> costs = history.get(agent + '\u0000' + tool + '\u0000' + model);
        if (costs == null || limit <= 0) {
            return List.of();
        }
        List<BigDecimal> out = new ArrayList<>(Math.min(limit, costs.size()));
        for (Iterator<BigDecimal> it = costs.iterator(); it.hasNext() && out.size() < limit; ) {
            out.add(it.next());
        }
        return out;
    }

    /** Live reservations in all budgets (for leak checks); expired ones already charged are not counted. */
    public synchronized int liveReservations() {
        int n = 0;
        for (Reservation r : reservations.values()) {
            if (r.charged == null) {
                n++;
            }
        }
        return n;
    }

    /** Charges the period's live reservations that expired by {@code now}. Call under the lock. */
    private void chargeExpired(Period p, Instant now) {
        for (Iterator<Reservation> it = p.live.values().iterator(); it.hasNext(); ) {
            Reservation res = it.next();
            if (!res.request.expiresAt().isAfter(now)) {
                it.remove();
                res.charged = charge(res.request);
                p.spent = p.spent.add(res.charged);
                p.expiryCharged = p.expiryCharged.add(res.charged);
                p.expiryCharges++;
            }
        }
    }

    /** What an expired reservation is charged: the recorded cost, nothing for a recorded failure without one, else the amount. */
    private BigDecimal charge(ReservationRequest r) {
        if (r.attempt() > 0) {
            Optional<InvocationRecord> rec = invocations.find(r.requestId(), r.attempt());
            if (rec.isPresent()) {
                return rec.get().costUsd().orElse(rec.get().outcome() == Outcome.SUCCESS ? r.amountUsd() : BigDecimal.ZERO);
            }
        }
        return r.amountUsd();
    }

    private static BudgetStanding standing(String budget, String periodKey, Period p, Instant now) {
        BigDecimal reserved = BigDecimal.ZERO;
        for (Reservation res : p.live.values()) {
            if (res.request.expiresAt().isAfter(now)) {
                reserved = reserved.add(res.request.amountUsd());
            }
        }
        return BudgetStanding.builder().budget(budget).periodKey(periodKey).spentUsd(p.spent).reservedUsd(reserved)
                .expiryChargedUsd(p.expiryCharged).expiryCharges(p.expiryCharges).build();
    }

    private static String key(String budget, String periodKey) {
        return budget + '\u0000' + periodKey;
    }
}
