package io.llmservice.core.internal.telemetry;

import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The in-process {@link BudgetLedger}: one lock makes check-and-reserve atomic. Shared only within
 * one JVM; use the H2 store when several processes share a budget.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {

    private static final class Period {
        BigDecimal spent = BigDecimal.ZERO;
        final Map<String, Reservation> live = new HashMap<>();
    }

    private record Reservation(String budget, String periodKey, BigDecimal amount, Instant expiresAt) {
    }

    private final Map<String, Period> periods = new HashMap<>();
    private final Map<String, Reservation> reservations = new HashMap<>();

    @Override
    public synchronized ReservationOutcome reserve(ReservationRequest r) {
        Period p = periods.computeIfAbsent(key(r.budget(), r.periodKey()), k -> new Period());
        BudgetStanding before = standing(r.budget(), r.periodKey(), p, r.now());
        if (r.enforce() && before.committedUsd().add(r.amountUsd()).compareTo(r.limitUsd()) > 0) {
            return new ReservationOutcome(false, Optional.empty(), before);
        }
        String id = UUID.randomUUID().toString();
        Reservation res = new Reservation(r.budget(), r.periodKey(), r.amountUsd(), r.expiresAt());
        p.live.put(id, res);
        reservations.put(id, res);
        return new ReservationOutcome(true, Optional.of(id), before);
    }

    @Override
    public synchronized void settle(String reservationId, BigDecimal actualUsd) {
        Reservation res = reservations.remove(reservationId);
        if (res == null) {
            return;
        }
        Period p = periods.get(key(res.budget(), res.periodKey()));
        p.live.remove(reservationId);
        p.spent = p.spent.add(actualUsd);
    }

    @Override
    public synchronized void release(String reservationId) {
        Reservation res = reservations.remove(reservationId);
        if (res != null) {
            periods.get(key(res.budget(), res.periodKey())).live.remove(reservationId);
        }
    }

    @Override
    public synchronized BudgetStanding standing(String budget, String periodKey, Instant now) {
        Period p = periods.get(key(budget, periodKey));
        return p == null ? new BudgetStanding(budget, periodKey, BigDecimal.ZERO, BigDecimal.ZERO)
                : standing(budget, periodKey, p, now);
    }

    /** Live reservations in all budgets (for leak checks). */
    public synchronized int liveReservations() {
        return reservations.size();
    }

    private static BudgetStanding standing(String budget, String periodKey, Period p, Instant now) {
        BigDecimal reserved = BigDecimal.ZERO;
        for (Iterator<Reservation> it = p.live.values().iterator(); it.hasNext(); ) {
            Reservation res = it.next();
            if (res.expiresAt().isAfter(now)) {
                reserved = reserved.add(res.amount());
            }
        }
        return new BudgetStanding(budget, periodKey, p.spent, reserved);
    }

    private static String key(String budget, String periodKey) {
        return budget + '\u0000' + periodKey;
    }
}
