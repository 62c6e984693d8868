package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.Outcome;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link BudgetLedger} in the shared SQL database (H2 or PostgreSQL). Check-and-reserve is one transaction that
 * first takes the row lock of the budget's period ({@code UPDATE budget_period ...}, which waits
 * for any other process or thread holding it), then sums settled spend and live reservations and
 * inserts the reservation. Settle and release take the same lock first, so lock order is always
 * period, then reservation. Because the lock is a database row lock, the limit holds across every
 * process sharing the file.
 *
 * <p><b>Retries.</b> Every operation is one transaction retried on transient errors (lock timeouts,
 * a lost connection) and is idempotent, so a retry after a commit whose answer was lost does no
 * harm: {@link #reserve} picks its reservation id once, before the first try, and a retry that finds
 * that row returns it as granted; settle and release act only on a {@code live} (or, once charged,
 * {@code expired}) row, and the first one to commit wins.
 *
 * <p><b>Expiry.</b> Whenever a period is locked (reserve, settle, release) or read ({@link #standing}
 * when it has something to charge), its live reservations past {@code expires_at_ns} are charged as
 * spent, state {@code expired}: at the cost of the call's invocation row when that row made it
 * (matched by request id and attempt: its {@code cost_usd}, nothing for a failed attempt without
 * one), else at the reserved amount.
 *
 * <p><b>Whose clock.</b> The instants a caller passes ({@link ReservationRequest#now()},
 * {@link ReservationRequest#expiresAt()}, the {@code now} of {@link #standing}) come from its host's
 * service clock; every transaction maps them onto the database's clock ({@link DatabaseClock}), and
 * the table keeps only database times ({@code created_at_ns}, {@code expires_at_ns},
 * {@code closed_at_ns}). So hosts whose clocks disagree (one 5 minutes ahead) reserve with the same
 * expiry for the same duration and agree on when a reservation has expired: a host ahead does not
 * charge the others' reservations early, one behind does not keep dead ones alive. What still comes
 * from the host's clock is the period key ({@code daily:2026-12-01}), computed by the budget policy
 * in the host's zone: a host whose clock is 5 minutes ahead books its calls in the next period up to
 * 5 minutes early, i.e. a period's bookings are off by at most the hosts' skew at its edges.
 *
 * <p>Thread-safe: each call uses its own pooled connection and transaction.
 */
public final class JdbcBudgetLedger implements BudgetLedger {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcBudgetLedger.class);
    /** Rows read per call asked for by {@link #recentCosts}: a call settled in several budgets has a row in each. */
    private static final int ROWS_PER_CALL = 4;

    private final JdbcDatabase db;
    private final DatabaseClock time;

    /** A ledger in {@code db} for a host whose service clock is {@code clock}. */
    public JdbcBudgetLedger(JdbcDatabase db, Clock clock) {
        this.db = db;
        this.time = new DatabaseClock(clock);
    }

    @Override
    public ReservationOutcome reserve(ReservationRequest r) {
        // Chosen once, outside the retried transaction: a retry after a commit whose answer was lost
        // finds this row instead of reserving a second time.
        String id = UUID.randomUUID().toString();
        return inTransaction("reserve in budget " + r.budget(), c -> {
            Duration offset = time.offset(db, c);
            long nowNs = InvocationTable.nanos(r.now().plus(offset));
            lockPeriod(c, r.budget(), r.periodKey(), nowNs);
            chargeExpired(c, r.budget(), r.periodKey(), nowNs);
            Optional<BigDecimal> already = liveAmount(c, id, nowNs);
            if (already.isPresent()) {
                BudgetStanding now = standing(c, r.budget(), r.periodKey(), nowNs);
                return new ReservationOutcome(true, Optional.of(id),
                        now.withReservedUsd(now.reservedUsd().subtract(already.get())));
            }
            BudgetStanding before = standing(c, r.budget(), r.periodKey(), nowNs);
            if (r.enforce() && before.committedUsd().add(r.amountUsd()).compareTo(r.limitUsd()) > 0) {
                return new ReservationOutcome(false, Optional.empty(), before);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_reservation (reservation_id, budget,"
                    + " period_key, request_id, amount_usd, state, created_at_ns, expires_at_ns, attempt, agent, tool,"
                    + " model) VALUES (?, ?, ?, ?, ?, 'live', ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, r.budget());
                ps.setString(3, r.periodKey());
                ps.setString(4, r.requestId());
                ps.setBigDecimal(5, r.amountUsd());
                ps.setLong(6, nowNs);
                ps.setLong(7, InvocationTable.nanos(r.expiresAt().plus(offset)));
                ps.setInt(8, r.attempt());
                ps.setString(9, r.agent());
                ps.setString(10, r.tool());
                ps.setString(11, r.model());
                ps.executeUpdate();
            }
            return new ReservationOutcome(true, Optional.of(id), before);
        });
    }

    /** The amount of reservation {@code id} if it exists and still holds room at {@code nowNs}, else 0 if it exists. */
    private static Optional<BigDecimal> liveAmount(Connection c, String id, long nowNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT amount_usd, state, expires_at_ns FROM budget_reservation"
                + " WHERE reservation_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                boolean holding = "live".equals(rs.getString(2)) && rs.getLong(3) > nowNs;
                return Optional.of(holding ? InvocationTable.decimal(rs.getBigDecimal(1)) : BigDecimal.ZERO);
            }
        }
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
        inTransaction(state.equals("settled") ? "settle reservation " + reservationId
                : "release reservation " + reservationId, c -> {
            long now = InvocationTable.nanos(time.clock().instant().plus(time.offset(db, c)));
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
            chargeExpired(c, budget, periodKey, now);
            String current;
            BigDecimal charged;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state, actual_usd FROM budget_reservation WHERE reservation_id = ?")) {
                ps.setString(1, reservationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    current = rs.getString(1);
                    charged = InvocationTable.decimal(rs.getBigDecimal(2));
                }
            }
            // Only the first settle or release has an effect. One that comes after an expiry charge
            // replaces the charge: by the actual cost (settle) or by nothing (release).
            BigDecimal delta;
            if (current.equals("live")) {
                delta = actualUsd == null ? BigDecimal.ZERO : actualUsd;
            } else if (current.equals("expired")) {
                delta = (actualUsd == null ? BigDecimal.ZERO : actualUsd).subtract(charged);
            } else {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE budget_reservation SET state = ?, actual_usd = ?,"
                    + " closed_at_ns = ? WHERE reservation_id = ? AND state = ?")) {
                ps.setString(1, state);
                ps.setBigDecimal(2, actualUsd);
                ps.setLong(3, now);
                ps.setString(4, reservationId);
                ps.setString(5, current);
                ps.executeUpdate();
            }
            addSpent(c, budget, periodKey, delta);
            return null;
        });
    }

    /**
     * Charges every live reservation of the period that expired by {@code nowNs} as spent (state
     * {@code expired}): the cost its invocation row recorded when that row made it, nothing when the
     * row shows a failed attempt without a cost, else the reserved amount. Call with the period locked.
     */
    private static void chargeExpired(Connection c, String budget, String periodKey, long nowNs) throws SQLException {
        List<String> ids = new ArrayList<>();
        List<BigDecimal> charges = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.reservation_id, r.amount_usd, i.cost_usd, i.outcome"
                + " FROM budget_reservation r LEFT JOIN invocation i"
                + " ON r.attempt > 0 AND i.request_id = r.request_id AND i.attempt = r.attempt"
                + " WHERE r.budget = ? AND r.period_key = ? AND r.state = 'live' AND r.expires_at_ns <= ?")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            ps.setLong(3, nowNs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    BigDecimal cost = rs.getBigDecimal(3);
                    String outcome = rs.getString(4);
                    charges.add(cost != null ? cost
                            : outcome != null && !outcome.equals(Outcome.SUCCESS.storedName())
                            ? BigDecimal.ZERO : InvocationTable.decimal(rs.getBigDecimal(2)));
                }
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        BigDecimal total = BigDecimal.ZERO;
        try (PreparedStatement ps = c.prepareStatement("UPDATE budget_reservation SET state = 'expired',"
                + " actual_usd = ?, closed_at_ns = ? WHERE reservation_id = ? AND state = 'live'")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setBigDecimal(1, charges.get(i));
                ps.setLong(2, nowNs);
                ps.setString(3, ids.get(i));
                if (ps.executeUpdate() == 1) {
                    total = total.add(charges.get(i));
                }
            }
        }
        addSpent(c, budget, periodKey, total);
        LOG.warn("budget '{}' ({}): charged ${} for {} reservation(s) that expired unsettled (their process died"
                + " or could not settle): {}", budget, periodKey, total.stripTrailingZeros().toPlainString(), ids.size(),
                ids);
    }

    private static void addSpent(Connection c, String budget, String periodKey, BigDecimal delta) throws SQLException {
        if (delta.signum() == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE budget_period SET spent_usd = spent_usd + ?"
                + " WHERE budget = ? AND period_key = ?")) {
            ps.setBigDecimal(1, delta);
            ps.setString(2, budget);
            ps.setString(3, periodKey);
            ps.executeUpdate();
        }
    }

    @Override
    public BudgetStanding standing(String budget, String periodKey, Instant now) {
        return inTransaction("read budget " + budget, c -> {
            long nowNs = InvocationTable.nanos(now.plus(time.offset(db, c)));
            // A plain read takes no lock; only a period with something to charge is locked and charged.
            if (hasExpired(c, budget, periodKey, nowNs)) {
                lockPeriod(c, budget, periodKey, nowNs);
                chargeExpired(c, budget, periodKey, nowNs);
            }
            return standing(c, budget, periodKey, nowNs);
        });
    }

    private static boolean hasExpired(Connection c, String budget, String periodKey, long nowNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM budget_reservation WHERE budget = ?"
                + " AND period_key = ? AND state = 'live' AND expires_at_ns <= ? LIMIT 1")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            ps.setLong(3, nowNs);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public List<BigDecimal> recentCosts(String agent, String tool, String model, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return inTransaction("read recent costs of " + agent + " on " + tool + "/" + model, c -> {
            List<BigDecimal> out = new ArrayList<>();
            Set<String> calls = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt, actual_usd FROM budget_reservation"
                    + " WHERE agent = ? AND tool = ? AND model = ? AND state = 'settled'"
                    + " ORDER BY closed_at_ns DESC, created_at_ns DESC LIMIT ?")) {
                ps.setString(1, agent);
                ps.setString(2, tool);
                ps.setString(3, model);
                ps.setInt(4, limit * ROWS_PER_CALL);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && out.size() < limit) {
                        if (calls.add(rs.getString(1) + '\u0000' + rs.getInt(2))) {
                            out.add(InvocationTable.decimal(rs.getBigDecimal(3)));
                        }
                    }
                }
            }
            return out;
        });
    }

    /** Live (unexpired, open) reservations of every budget at {@code now} (this host's clock); for leak checks. */
    public long liveReservations(Instant now) {
        return inTransaction("count live reservations", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM budget_reservation WHERE state = 'live' AND expires_at_ns > ?")) {
                ps.setLong(1, InvocationTable.nanos(now.plus(time.offset(db, c))));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Deletes closed reservations (settled, released, charged at expiry) created before {@code cutoff}.
     * Periods' spend is kept. A live one is kept even past its expiry: it has not been charged yet.
     */
    static long deleteOlderThan(Connection c, long cutoffNs, long nowNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_reservation WHERE created_at_ns < ?"
                + " AND state <> 'live'")) {
            ps.setLong(1, cutoffNs);
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

    private static BudgetStanding standing(Connection c, String budget, String periodKey, long nowNs)
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
        BigDecimal reserved = BigDecimal.ZERO;
        BigDecimal expiryCharged = BigDecimal.ZERO;
        long expiryCharges = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*), COALESCE(SUM(amount_usd), 0),"
                + " COALESCE(SUM(actual_usd), 0) FROM budget_reservation WHERE budget = ? AND period_key = ?"
                + " AND ((state = 'live' AND expires_at_ns > ?) OR state = 'expired') GROUP BY state")) {
            ps.setString(1, budget);
            ps.setString(2, periodKey);
            ps.setLong(3, nowNs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals("live")) {
                        reserved = InvocationTable.decimal(rs.getBigDecimal(3));
                    } else {
                        expiryCharges = rs.getLong(2);
                        expiryCharged = InvocationTable.decimal(rs.getBigDecimal(4));
                    }
                }
            }
        }
        return BudgetStanding.builder().budget(budget).periodKey(periodKey).spentUsd(spent).reservedUsd(reserved)
                .expiryChargedUsd(expiryCharged).expiryCharges(expiryCharges).build();
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.run(db, "budget ledger in " + db.describe() + ": could not " + what, work);
    }
}
