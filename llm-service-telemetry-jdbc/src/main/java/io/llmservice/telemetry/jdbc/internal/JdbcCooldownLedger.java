package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link CooldownLedger} in the shared SQL database (H2 or PostgreSQL): one row per tool, model and fingerprint in
 * {@code cooldown}, so every process sharing the file skips a pair that keeps failing.
 *
 * <p>{@link #failed} is one transaction: it locks the key's row ({@code SELECT ... FOR UPDATE}),
 * counts one more failure (or starts at one, when the row is missing) as
 * {@link CooldownEntry#afterFailure} says, and purges the rows of other keys whose cooldown has ended. Two
 * processes counting the first failure of a pair at once make one insert fail with a duplicate
 * key; {@link Transactions} retries it, and it then finds the row. A retry after a commit whose
 * acknowledgement was lost counts that failure twice: at worst a cooldown starts one failure early.
 *
 * <p>Time is the {@code now} the caller passes, from its host's service clock, mapped onto the
 * database's clock in each transaction ({@link DatabaseClock}): {@code until_us} is a database time,
 * and {@link #entries()} maps it back onto the reading host's clock. So a host whose clock is 5
 * minutes ahead neither ends the others' cooldowns early nor sees its own last 5 minutes longer
 * elsewhere. Thread-safe: each call uses its own pooled connection.
 */
public final class JdbcCooldownLedger implements CooldownLedger {
    private final JdbcDatabase db;
    private final DatabaseClock time;

    /** The cooldowns in {@code db} for a host whose service clock is {@code clock}. */
    public JdbcCooldownLedger(JdbcDatabase db, Clock clock) {
        this.db = db;
        this.time = new DatabaseClock(clock);
    }

    @Override
    public CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        CooldownEntry.afterFailure(key, 0, reason, after, coolFor, now); // bad arguments fail before any I/O
        return Transactions.run(db, "cooldowns in " + db.describe() + ": could not count a failure of " + key.tool()
                + "/" + key.model(), c -> {
            Duration offset = time.offset(db, c);
            int failures = 0;
            boolean exists;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT failures FROM cooldown WHERE tool = ? AND model = ? AND fingerprint = ? FOR UPDATE")) {
                bind(select, key);
                try (ResultSet rs = select.executeQuery()) {
                    exists = rs.next();
                    if (exists) {
                        failures = rs.getInt(1);
                    }
                }
            }
            CooldownEntry e = CooldownEntry.afterFailure(key, failures, reason, after, coolFor, now);
            try (PreparedStatement write = c.prepareStatement(exists
                    ? "UPDATE cooldown SET failures = ?, reason = ?, until_us = ? WHERE tool = ? AND model = ? AND fingerprint = ?"
                    : "INSERT INTO cooldown (failures, reason, until_us, tool, model, fingerprint) VALUES (?, ?, ?, ?, ?, ?)")) {
                write.setInt(1, e.failures());
                write.setString(2, reason);
                if (e.until().isPresent()) {
                    write.setLong(3, micros(e.until().get().plus(offset)));
                } else {
                    write.setNull(3, Types.BIGINT);
                }
                write.setString(4, key.tool());
                write.setString(5, key.model());
                write.setString(6, key.fingerprint());
                write.executeUpdate();
            }
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM cooldown WHERE until_us <= ?"
                    + " AND NOT (tool = ? AND model = ? AND fingerprint = ?)")) {
                purge.setLong(1, micros(now.plus(offset)));
                purge.setString(2, key.tool());
                purge.setString(3, key.model());
                purge.setString(4, key.fingerprint());
                purge.executeUpdate();
            }
            return e;
        });
    }

    @Override
    public void succeeded(CooldownKey key) {
        Objects.requireNonNull(key, "key");
        Transactions.run(db, "cooldowns in " + db.describe() + ": could not reset " + key.tool() + "/" + key.model(),
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM cooldown WHERE tool = ? AND model = ? AND fingerprint = ?")) {
                        bind(ps, key);
                        return ps.executeUpdate();
                    }
                });
    }

    @Override
    public List<CooldownEntry> entries() {
        return Transactions.run(db, "cooldowns in " + db.describe() + ": could not read them", c -> {
            Duration offset = time.offset(db, c);
            List<CooldownEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tool, model, fingerprint, failures, reason, until_us FROM cooldown");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long untilUs = rs.getLong(6);
                    Optional<Instant> until = rs.wasNull() ? Optional.empty()
                            : Optional.of(Instant.EPOCH.plus(untilUs, ChronoUnit.MICROS).minus(offset));
                    out.add(new CooldownEntry(new CooldownKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                            rs.getInt(4), rs.getString(5), until));
                }
            }
            // Sorted here, not by ORDER BY: the database's collation (PostgreSQL's en_US, say) would order
            // names differently from the String order every other ledger uses.
            out.sort(Comparator.comparing((CooldownEntry e) -> e.key().tool()).thenComparing(e -> e.key().model())
                    .thenComparing(e -> e.key().fingerprint()));
            return out;
        });
    }

    @Override
    public int reset(String tool, String model) {
        return Transactions.run(db, "cooldowns in " + db.describe() + ": could not reset them", c -> delete(c, tool, model));
    }

    private static int delete(Connection c, String tool, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM cooldown WHERE (? IS NULL OR tool = ?) AND (? IS NULL OR model = ?)")) {
            ps.setString(1, tool);
            ps.setString(2, tool);
            ps.setString(3, model);
            ps.setString(4, model);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, CooldownKey key) throws SQLException {
        ps.setString(1, key.tool());
        ps.setString(2, key.model());
        ps.setString(3, key.fingerprint());
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
