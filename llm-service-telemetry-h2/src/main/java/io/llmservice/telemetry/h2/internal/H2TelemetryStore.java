package io.llmservice.telemetry.h2.internal;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.CooldownLedger;
import io.llmservice.spi.TelemetryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The invocation log, budget ledger, rate-limit buckets, cooldowns and stats in an H2 file database.
 *
 * <pre>{@code
 * try (TelemetryStore store = new H2TelemetryStoreProvider().open(settings, Clock.systemUTC())) {
 *     store.record(record);   // queued; returns in microseconds
 *     store.flush();          // now it survives kill -9
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} drains the writer, makes everything durable and closes the
 * database. Call it (the service does on {@code LlmService.close()}): at JVM exit H2 closes the
 * database by itself, and records still queued then are lost; records already flushed are not.
 */
public final class H2TelemetryStore implements TelemetryStore {
    private static final Logger LOG = LoggerFactory.getLogger(H2TelemetryStore.class);

    private final TelemetryDatabase db;
    private final BatchingWriter writer;
    private final H2BudgetLedger ledger;
    private final H2RateLimitLedger rateLimits;
    private final H2CooldownLedger cooldowns;
    private final Clock clock;
    private final Object closeLock = new Object();
    private boolean closed;

    private H2TelemetryStore(TelemetryDatabase db, Clock clock, int queueCapacity) {
        this.db = db;
        this.clock = clock;
        this.writer = new BatchingWriter(db, queueCapacity);
        this.ledger = new H2BudgetLedger(db, clock);
        this.rateLimits = new H2RateLimitLedger(db);
        this.cooldowns = new H2CooldownLedger(db);
    }

    /** Connects to the store whose data file is {@code <path>.mv.db}, starting its daemon if none runs. */
    public static H2TelemetryStore open(Path path, Clock clock) {
        return open(path, clock, BatchingWriter.DEFAULT_CAPACITY);
    }

    static H2TelemetryStore open(Path path, Clock clock, int queueCapacity) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(clock, "clock");
        return new H2TelemetryStore(TelemetryDatabase.open(path), clock, queueCapacity);
    }

    @Override
    public void record(InvocationRecord record) {
        Objects.requireNonNull(record, "record");
        writer.accept(record);
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public List<InvocationRecord> findByRequest(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        flush();
        return read("read request " + requestId, c -> InvocationTable.find(c, requestId));
    }

    @Override
    public H2BudgetLedger ledger() {
        return ledger;
    }

    /** The rate-limit buckets in the database, shared by every process using it. */
    @Override
    public Optional<RateLimitLedger> rateLimits() {
        return Optional.of(rateLimits);
    }

    /** The cooldowns in the database, shared by every process using it. */
    @Override
    public Optional<CooldownLedger> cooldowns() {
        return Optional.of(cooldowns);
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        Objects.requireNonNull(query, "query");
        flush();
        return read("compute stats", c -> StatsScan.run(c, query));
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        flush();
        long cutoffNs = InvocationTable.nanos(cutoff);
        long nowNs = InvocationTable.nanos(clock.instant());
        return read("delete records older than " + cutoff, c -> {
            c.setAutoCommit(false);
            try {
                long n;
                // Labels go with their invocation (ON DELETE CASCADE).
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM invocation WHERE started_at_ns < ?")) {
                    ps.setLong(1, cutoffNs);
                    n = ps.executeLargeUpdate();
                }
                StatChunk.deleteOlderThan(c, cutoffNs);
                long reservations = H2BudgetLedger.deleteOlderThan(c, cutoffNs, nowNs);
                c.commit();
                LOG.info("telemetry {}: deleted {} record(s) and {} closed reservation(s) older than {}", db.path(), n,
                        reservations, cutoff);
                return n;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        });
    }

    /**
     * Reads every row of every table through (H2 checks each page it reads) and reports the counts
     * and the store's mark; a page that cannot be read is a finding, not an exception. The daemon
     * has compared the data file with its mark file already when it opened it.
     */
    @Override
    public StoreCheck check() {
        flush();
        return read("check the store", c -> {
            List<String> findings = new java.util.ArrayList<>();
            boolean ok = true;
            for (String table : TableReadThrough.tables(c)) {
                long[] rows = {0};
                try {
                    TableReadThrough.read(c, table, rows);
                    findings.add("table " + table.toLowerCase(java.util.Locale.ROOT) + ": " + rows[0] + " row(s) read");
                } catch (SQLException | RuntimeException e) {
                    ok = false;
                    findings.add("table " + table.toLowerCase(java.util.Locale.ROOT) + ": unreadable after " + rows[0]
                            + " row(s): " + StoreDaemon.oneLine(e.getMessage()));
                }
            }
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT store_id, seq FROM store_mark WHERE id = 1")) {
                findings.add(rs.next() ? "mark: store " + rs.getString(1) + ", sequence " + rs.getLong(2) + " (checked"
                        + " against " + db.files().mark() + " when the daemon opened the file)" : "mark: none");
            }
            findings.add(ok ? "ok: " + db.files().data() + " reads back whole" : "DAMAGED: " + db.files().data()
                    + " has unreadable parts; restore a backup, or move it aside to start a new store");
            return new StoreCheck(ok, findings);
        });
    }

    /** The database, for tests that look at the tables themselves. */
    TelemetryDatabase databaseForTests() {
        return db;
    }

    /** The database files' base path. */
    public Path path() {
        return db.path();
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code q} on a connection; once more on a new one when the daemon went away meanwhile. */
    private <T> T read(String what, Query<T> q) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                return q.run(c);
            } catch (SQLException e) {
                db.connectionFailed(e);
                if (attempt == 2 || !TelemetryDatabase.lost(e)) {
                    throw db.error("telemetry: could not " + what, e);
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.close();
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return "H2TelemetryStore[" + db.path() + "]";
    }
}
