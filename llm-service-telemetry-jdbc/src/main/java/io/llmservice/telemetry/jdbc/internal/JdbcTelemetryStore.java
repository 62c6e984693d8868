package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.CooldownLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.RollupStats;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.StoreCopyOptions;
import io.llmservice.spi.StoreCopyReport;
import io.llmservice.spi.TelemetryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The invocation log, budget ledger, rate-limit buckets, cooldowns and stats in one SQL database
 * ({@link JdbcDatabase}): the part of a telemetry store that is the same for H2 and PostgreSQL. A
 * store module extends it with how it opens its database.
 *
 * <pre>{@code
 * try (TelemetryStore store = new JdbcTelemetryStore(db, Clock.systemUTC(), BatchingWriter.DEFAULT_CAPACITY)) {
 *     store.record(record);   // queued; returns in microseconds
 *     store.flush();          // committed (and durable)
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} drains the writer, makes everything durable and closes the
 * database. Records still queued when the JVM exits without it are lost; records flushed are not.
 */
public class JdbcTelemetryStore implements TelemetryStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcTelemetryStore.class);

    private final JdbcDatabase db;
    private final BatchingWriter writer;
    private final JdbcBudgetLedger ledger;
    private final JdbcRateLimitLedger rateLimits;
    private final JdbcCooldownLedger cooldowns;
    private final Clock clock;
    private final Object closeLock = new Object();
    private boolean closed;

    public JdbcTelemetryStore(JdbcDatabase db, Clock clock, int queueCapacity) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writer = new BatchingWriter(db, queueCapacity);
        this.ledger = new JdbcBudgetLedger(db, clock);
        this.rateLimits = new JdbcRateLimitLedger(db, clock);
        this.cooldowns = new JdbcCooldownLedger(db, clock);
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

    /**
     * Streams the window's records from one query ({@link InvocationTable#scan}) over the start-time
     * index, a few thousand rows per round trip: memory stays bounded whatever the window holds. A
     * connection lost before the first record is tried once more; after it, the scan fails rather than
     * pass a record twice. An exception thrown by {@code sink} ends the scan and reaches the caller as it is.
     */
    @Override
    public void scanRecords(Instant from, Instant to, java.util.function.Consumer<InvocationRecord> sink) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(sink, "sink");
        flush();
        long[] passed = {0};
        java.util.function.Consumer<InvocationRecord> counting = r -> {
            passed[0]++;
            sink.accept(r);
        };
        String what = "telemetry: could not read the records from " + from + " to " + to + " at " + db.describe();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                boolean autoCommit = c.getAutoCommit();
                c.setAutoCommit(false); // PostgreSQL streams a result only within a transaction
                try {
                    InvocationTable.scan(c, db.codePointOrder("request_id"), from, to, counting);
                } finally {
                    c.rollback(); // read only: nothing to keep
                    c.setAutoCommit(autoCommit);
                }
                return;
            } catch (SQLException e) {
                db.connectionFailed(e);
                if (attempt == 2 || passed[0] > 0 || !db.lost(e)) {
                    throw Transactions.failed(db, what, e);
                }
            }
        }
    }

    @Override
    public JdbcBudgetLedger ledger() {
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
        return read("compute stats", c -> RollupStats.report(query, RollupTable.read(c, query)));
    }

    /**
     * Streams the window's rollup rows ({@link RollupTable#scan}). A lost connection is retried only
     * when no row reached {@code sink} yet, so a retry never passes a row twice.
     */
    @Override
    public void scanRollups(Instant from, Instant to, java.util.function.Consumer<io.llmservice.spi.RollupRow> sink) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(sink, "sink");
        flush();
        long[] passed = {0};
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                RollupTable.scan(c, from, to, row -> {
                    passed[0]++;
                    sink.accept(row);
                });
                return;
            } catch (SQLException e) {
                db.connectionFailed(e);
                if (attempt == 2 || passed[0] > 0 || !db.lost(e)) {
                    throw Transactions.failed(db, "telemetry: could not scan the stats rollups from " + from + " to "
                            + to + " at " + db.describe(), e);
                }
            }
        }
    }

    /**
     * Deletes the log rows that started before {@code cutoff}, the stats rollups of the quarter-hours
     * that end at or before it ({@link RollupTable#deleteOlderThan}: the quarter-hour a cutoff not on
     * a quarter-hour cuts through stays whole, so stats still count its earlier attempts) and closed
     * ledger reservations created before it, in one transaction.
     */
    @Override
    public long deleteOlderThan(Instant cutoff) {
        Objects.requireNonNull(cutoff, "cutoff");
        flush();
        long cutoffNs = InvocationTable.nanos(cutoff);
        return read("delete records older than " + cutoff, c -> {
            c.setAutoCommit(false);
            try {
                long n;
                // Labels and per-model shares go with their invocation (ON DELETE CASCADE).
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM invocation WHERE started_at_ns < ?")) {
                    ps.setLong(1, cutoffNs);
                    n = ps.executeLargeUpdate();
                }
                RollupTable.deleteOlderThan(c, cutoff);
                long reservations = ledger.deleteClosedOlderThan(c, cutoff);
                c.commit();
                LOG.info("telemetry {}: deleted {} record(s) and {} closed reservation(s) older than {}", db.describe(),
                        n, reservations, cutoff);
                return n;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        });
    }

    /** Reads the store back ({@link JdbcDatabase#check}); a part that cannot be read is a finding. */
    @Override
    public StoreCheck check() {
        flush();
        return read("check the store", db::check);
    }

    /**
     * Copies this store into {@code target}, another SQL store that can receive a copy (PostgreSQL);
     * see {@link StoreCopy}. Both stores are flushed first.
     */
    @Override
    public StoreCopyReport copyTo(TelemetryStore target, StoreCopyOptions options) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        if (!(target instanceof JdbcTelemetryStore to)) {
            return TelemetryStore.super.copyTo(target, options);
        }
        flush();
        to.flush();
        return new StoreCopy(db, to.db, clock, options).run();
    }

    /** The database, for tests that look at the tables themselves. */
    public JdbcDatabase database() {
        return db;
    }

    /** Runs {@code q} on a connection; once more on a new one when the server went away meanwhile. */
    protected final <T> T read(String what, Transactions.Work<T> q) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                return q.run(c);
            } catch (SQLException e) {
                db.connectionFailed(e);
                if (attempt == 2 || !db.lost(e)) {
                    throw Transactions.failed(db, "telemetry: could not " + what + " at " + db.describe(), e);
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
        return getClass().getSimpleName() + "[" + db.describe() + "]";
    }
}
