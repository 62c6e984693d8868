package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link CooldownLedger} in the shared H2 database: one row per tool/model pair in
 * {@code cooldown}, so every process sharing the file skips a pair that keeps failing.
 *
 * <p>{@link #failed} is one transaction: it locks the pair's row ({@code SELECT ... FOR UPDATE}),
 * counts one more failure (or starts at one, when the row is missing or was written under another
 * fingerprint) and writes the end of the cooldown once the count reaches {@code after}. Two
 * processes counting the first failure of a pair at once make one insert fail with a duplicate
 * key; {@link Transactions} retries it, and it then finds the row. A retry after a commit whose
 * acknowledgement was lost counts that failure twice: at worst a cooldown starts one failure early.
 *
 * <p>Time is the {@code now} the caller passes, from its service clock: the wall clock, which every
 * process of one machine reads the same. Thread-safe: each call uses its own pooled connection.
 */
final class H2CooldownLedger implements CooldownLedger {
    private final TelemetryDatabase db;

    H2CooldownLedger(TelemetryDatabase db) {
        this.db = db;
    }

    @Override
    public CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        if (after < 1 || coolFor.isNegative() || coolFor.isZero()) {
            throw new IllegalArgumentException("after must be >= 1 and coolFor > 0, were " + after + " and " + coolFor);
        }
        return Transactions.run(db, "cooldowns in " + db.path() + ": could not count a failure of " + key.tool()
                + "/" + key.model(), c -> {
            String fingerprint = null;
            int failures = 0;
            boolean exists;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT fingerprint, failures FROM cooldown WHERE tool = ? AND model = ? FOR UPDATE")) {
                select.setString(1, key.tool());
                select.setString(2, key.model());
                try (ResultSet rs = select.executeQuery()) {
                    exists = rs.next();
                    if (exists) {
                        fingerprint = rs.getString(1);
                        failures = rs.getInt(2);
                    }
                }
            }
            int count = key.fingerprint().equals(fingerprint) ? Math.addExact(failures, 1) : 1;
            Optional<Instant> until = count >= after ? Optional.of(now.plus(coolFor)) : Optional.empty();
            try (PreparedStatement write = c.prepareStatement(exists
                    ? "UPDATE cooldown SET fingerprint = ?, failures = ?, reason = ?, until_us = ? WHERE tool = ? AND model = ?"
                    : "INSERT INTO cooldown (fingerprint, failures, reason, until_us, tool, model) VALUES (?, ?, ?, ?, ?, ?)")) {
                write.setString(1, key.fingerprint());
                write.setInt(2, count);
                write.setString(3, reason);
                if (until.isPresent()) {
                    write.setLong(4, micros(until.get()));
                } else {
                    write.setNull(4, Types.BIGINT);
                }
                write.setString(5, key.tool());
                write.setString(6, key.model());
                write.executeUpdate();
            }
            return new CooldownEntry(key, count, reason, until);
        });
    }

    @Override
    public void succeeded(CooldownKey key) {
        Objects.requireNonNull(key, "key");
        Transactions.run(db, "cooldowns in " + db.path() + ": could not reset " + key.tool() + "/" + key.model(),
                c -> delete(c, key.tool(), key.model()));
    }

    @Override
    public List<CooldownEntry> entries() {
        return Transactions.run(db, "cooldowns in " + db.path() + ": could not read them", c -> {
            List<CooldownEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tool, model, fingerprint, failures, reason, until_us FROM cooldown ORDER BY tool, model");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long untilUs = rs.getLong(6);
                    Optional<Instant> until = rs.wasNull() ? Optional.empty()
                            : Optional.of(Instant.EPOCH.plus(untilUs, ChronoUnit.MICROS));
                    out.add(new CooldownEntry(new CooldownKey(rs.getString(1), rs.getString(2), rs.getString(3)),
                            rs.getInt(4), rs.getString(5), until));
                }
            }
            return out;
        });
    }

    @Override
    public int reset(String tool, String model) {
        return Transactions.run(db, "cooldowns in " + db.path() + ": could not reset them", c -> delete(c, tool, model));
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

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
