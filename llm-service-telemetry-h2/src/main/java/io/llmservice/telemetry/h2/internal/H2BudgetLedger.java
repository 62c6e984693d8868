package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link BudgetLedger} in the shared H2 database. Check-and-reserve is one transaction that
 * first takes the row lock of the budget's period ({@code UPDATE budget_period ...}, which waits
 * for any other process or thread holding it), then sums settled spend and live reservations and
 * inserts the reservation. Settle and release take the same lock first, so lock order is always
 * period, then reservation. Because the lock is a database row lock, the limit holds across every
 * process sharing the file.
 *
 * <p>Thread-safe: each call uses its own pooled connection and transaction.
 */
final class H2BudgetLedger implements BudgetLedger {
    private static final Logger LOG = LoggerFactory.getLogger(H2BudgetLedger.class);
    private static final int ATTEMPTS = 8;

    private final TelemetryDatabase db;
    private final Clock clock;

    H2BudgetLedger(TelemetryDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public ReservationOutcome reserve(ReservationRequest r) {
        return inTransaction("reserve in budget " + r.budget(), c -> {
            lockPeriod(c, r.budget(), r.periodKey(), InvocationTable.nanos(r.now()));
            BudgetStanding before = standing(c, r.budget(), r.periodKey(), r.now());
            if (r.enforce() && before.committedUsd().add(r.amountUsd()).compareTo(r.limitUsd()) > 0) {
                return new ReservationOutcome(false, Optional.empty(), before);
            }
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_reservation (reservation_id, budget,"
                    + " period_key, request_id, amount_usd, state, created_at_ns, expires_at_ns)"
                    + " VALUES (?, ?, ?, ?, ?, 'live', ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, r.budget());
                ps.setString(3, r.periodKey());
                ps.setString(4, r.requestId());
                ps.setBigDecimal(5, r.amountUsd());
                ps.setLong(6, InvocationTable.nanos(r.now()));
                ps.setLong(7, InvocationTable.nanos(r.expiresAt()));
                ps.executeUpdate();
            }
            return new ReservationOutcome(true, Optional.of(id), before);
        });
    }

    @Override
    public void settle(String reservationId, BigDecimal actualUsd) {
        close(reservationId, "settled", actualUsd);
    }

    @Override
    public void release(String reservationId) {
        close(reservationId, "released", null);
    }

    private void close(String reservationId, String state, BigDecimal actualUsd) {
        long now = InvocationTable.nanos(clock.instant());
        inTransaction(state.equals("settled") ? "settle reservation " + reservationId
                : "release reservation " + reservationId, c -> {
            String budget;
            String periodKey;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT budget, period_key FROM budget_reservation WHERE reservation_id = ?")) {
                ps.setString(1, reservationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    budget = rs.getString(1);
                    periodKey = rs.getString(2);
                }
            }
            lockPeriod(c, budget, periodKey, now);
            int changed;
            try (PreparedStatement ps = c.prepareStatement("UPDATE budget_reservation SET state = ?, actual_usd = ?,"
                    + " closed_at_ns = ? WHERE reservation_id = ? AND state = 'live'")) {
                ps.setString(1, state);
                ps.setBigDecimal(2, actualUsd);
                ps.setLong(3, now);
                ps.setString(4, reservationId);
                changed = ps.executeUpdate();
            }
            // Only the first settle or release has an effect; an expired reservation is still settled.
            if (changed == 1 && actualUsd != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE budget_period SET spent_usd = spent_usd + ?"
                        + " WHERE budget = ? AND period_key = ?")) {
                    ps.setBigDecimal(1, actualUsd);
                    ps.setString(2, budget);
                    ps.setString(3, periodKey);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public BudgetStanding standing(String budget, String periodKey, Instant now) {
        return inTransaction("read budget " + budget, c -> standing(c, budget, periodKey, now));
    }

    /** Live (unexpired, open) reservations of every budget at {@code now}; for leak checks. */
    long liveReservations(Instant now) {
        return inTransaction("count live reservations", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM budget_reservation WHERE state = 'live' AND expires_at_ns > ?")) {
                ps.setLong(1, InvocationTable.nanos(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Deletes closed and expired reservations created before {@code cutoff}. Periods' spend is kept. */
    static long deleteOlderThan(Connection c, long cutoffNs, long nowNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_reservation WHERE created_at_ns < ?"
                + " AND (state <> 'live' OR expires_at_ns <= ?)")) {
            ps.setLong(1, cutoffNs);
            ps.setLong(2, nowNs);
            return ps.executeUpdate();
        }
    }

    private static void lockPeriod(Connection c, String budget, String periodKey, long nowNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE budget_period SET updated_at_ns = GREATEST(updated_at_ns, ?) WHERE budget = ? AND period_key = ?")) {
            ps.setLong(1, nowNs);
            ps.setString(2, budget);
            ps.setString(3, periodKey);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        // First use of this period: create its row (a concurrent creator makes this fail with a
        // duplicate key, and the whole transaction is retried, then finding the row).
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_period (budget, period_key, spent_usd,"
                + " updated_at_ns) VALUES (?, ?, 0, ?)")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            ps.setLong(3, nowNs);
            ps.executeUpdate();
        }
    }

    private static BudgetStanding standing(Connection c, String budget, String periodKey, Instant now)
            throws SQLException {
        BigDecimal spent = BigDecimal.ZERO;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT spent_usd FROM budget_period WHERE budget = ? AND period_key = ?")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    spent = InvocationTable.decimal(rs.getBigDecimal(1));
                }
            }
        }
        BigDecimal reserved;
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(amount_usd), 0) FROM budget_reservation"
                + " WHERE budget = ? AND period_key = ? AND state = 'live' AND expires_at_ns > ?")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            ps.setLong(3, InvocationTable.nanos(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                reserved = InvocationTable.decimal(rs.getBigDecimal(1));
            }
        }
        return new BudgetStanding(budget, periodKey, spent, reserved);
    }

    private <T> T inTransaction(String what, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException e) {
                    rollback(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                db.connectionFailed(e);
                if (!transient_(e)) {
                    break;
                }
                LOG.debug("budget ledger: {} failed (attempt {} of {}), retrying: {}", what, attempt, ATTEMPTS,
                        e.getMessage());
                sleep(attempt);
            }
        }
        throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "budget ledger in " + db.path() + ": could not "
                + what + ": " + (last == null ? "" : last.getMessage()), last);
    }

    /** Lock timeouts, deadlocks, a concurrent insert of the same period row, a lost daemon ({@link TelemetryDatabase#lost}). */
    private static boolean transient_(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        return code == 50200 || code == 40001 || code == 23505 || code == 90131 || TelemetryDatabase.lost(e)
                || (state != null && state.startsWith("40"));
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed: {}", e.toString());
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(Math.min(500, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while waiting for the budget ledger", e);
        }
    }
}
