package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.spi.InvocationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The asynchronous writer of the invocation log. {@link #accept} puts a record into a bounded
 * queue and returns (when the queue is full the caller waits; nothing is dropped); one daemon
 * thread drains it in batches, each one JDBC batch in one transaction. {@link #flush} waits until
 * everything accepted before it is committed and checkpointed to the file, so it survives a
 * {@code kill -9} of the JVM.
 *
 * <p>A batch that fails is retried on a new connection. While the server cannot be reached or the
 * failure is passing ({@link JdbcDatabase#lost}, {@link JdbcDatabase#passing}: the server went away,
 * as an H2 daemon or a PostgreSQL server does for the seconds of a restart) the batch is kept and retried with backoff (50 ms doubling to 2 s)
 * for up to {@link #RETRY_FOR} of outage; meanwhile {@link #accept}
 * keeps queueing (callers wait when the queue is full) and {@link #flush} waits. {@link #close} waits
 * at most {@link #CLOSE_WAIT} more for a server that stays down, then reports what is left as lost:
 * a short-lived process (one {@code llm-service exec}) must not hang for minutes at its exit; the
 * money is safe anyway, since a reservation that was never settled is charged at its expiry. Other failures get
 * five attempts. A batch that then still fails because of its records (a database error that is not
 * passing: a value the column cannot hold, a constraint) is written again in halves, and so on
 * down (at most {@link #MAX_HALVINGS} times per batch), so that only the records at fault are lost,
 * each logged with its request id. Records that
 * cannot be written are logged, counted, and reported by the next
 * {@link #flush} as an exception — never silently dropped. The window is one per outage, not per
 * batch: once the store has been failing for {@code RETRY_FOR}, each further batch gets one attempt
 * (so {@link #close} does not wait the window again for every batch) until a write succeeds.
 *
 * <p>A retried batch is never written twice: after a failure the previous attempt may have committed
 * before its answer was lost, so retries skip the records already stored
 * ({@link InvocationTable#write} with {@code retry}). Thread-safe.
 */
public final class BatchingWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchingWriter.class);
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final int MAX_BATCH = 2_048;
    private static final int ATTEMPTS = 5;
    /**
     * Tries of each half while a failed batch is halved down to the records at fault: one, as the
     * failure that started the halving was not passing (a passing one still gets its window).
     */
    private static final int ISOLATING_ATTEMPTS = 1;
    /**
     * Halvings per batch: one record at fault in 2,048 takes 11, so a few records at fault are
     * isolated; a failure of the store that the database reports like a record's (whatever it is)
     * fails every half and stops here instead of making thousands of writes.
     */
    static final int MAX_HALVINGS = 32;
    /**
     * How long a batch is kept and retried while the store cannot be reached: long enough for a
     * PostgreSQL restart or failover (seconds to a minute), short enough that an application whose
     * store is gone for good learns it within minutes, not never.
     */
    public static final Duration RETRY_FOR = Duration.ofMinutes(2);
    /**
     * How much longer {@link #close} waits for a store that cannot be reached (within {@link #RETRY_FOR})
     * before it reports the records still queued as lost.
     */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    static final long MAX_BACKOFF_MS = 2_000;

    private final JdbcDatabase db;
    private final BlockingQueue<InvocationRecord> queue;
    private final Thread thread;
    /** Records accepted; incremented before a record enters the queue (see {@link #flush}). */
    private final AtomicLong accepted = new AtomicLong();
    private final Object lock = new Object();
    // Guarded by lock.
    private long done;
    private long checkpointWanted;
    private long checkpointed;
    private long failedRecords;
    private LlmServiceException failure;
    private boolean closed;

    private Connection connection;
    private final long retryForNanos;
    private final long closeWaitNanos;
    /** {@link System#nanoTime()} by which a closing writer stops waiting for an outage; set by {@link #close}. */
    private volatile long closeDeadline;
    private volatile boolean closing;
    /** {@link System#nanoTime()} when the current run of failed writes began; writer thread only. */
    private long failingSince;
    private boolean failing;
    /** Halvings left to the batch being written; writer thread only. */
    private int halvingsLeft;

    /** A writer to {@code db} with a queue of {@code capacity} records, keeping a batch for {@link #RETRY_FOR}. */
    public BatchingWriter(JdbcDatabase db, int capacity) {
        this(db, capacity, RETRY_FOR);
    }

    /** As above, keeping a batch for {@code retryFor} of outage (tests use seconds). */
    public BatchingWriter(JdbcDatabase db, int capacity, Duration retryFor) {
        this(db, capacity, retryFor, CLOSE_WAIT);
    }

    /** As above, and waiting at most {@code closeWait} at {@link #close} for a store that cannot be reached. */
    public BatchingWriter(JdbcDatabase db, int capacity, Duration retryFor, Duration closeWait) {
        this.db = db;
        this.retryForNanos = retryFor.toNanos();
        this.closeWaitNanos = closeWait.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "llm-service-telemetry-writer");
        thread.setDaemon(true);
        thread.start();
    }

    public void accept(InvocationRecord record) {
        synchronized (lock) {
            if (closed) {
                throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the telemetry store at " + db.describe()
                        + " is closed; record(...) came after close()");
            }
        }
        // Counting before enqueueing makes "done >= target" in flush() imply every record counted
        // in target was committed: the queue is FIFO and a record is counted before it is queued.
        accepted.incrementAndGet();
        try {
            queue.put(record);
        } catch (InterruptedException e) {
            accepted.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while waiting for room in the telemetry queue;"
                    + " the record was not accepted", e);
        }
    }

    /** Blocks until every record accepted before the call is committed and on disk. */
    public void flush() {
        long target = accepted.get();
        boolean interrupted = false;
        synchronized (lock) {
            checkpointWanted = Math.max(checkpointWanted, target);
            lock.notifyAll();
            while (checkpointed < target && thread.isAlive()) {
                try {
                    lock.wait(100);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                LlmServiceException f = failure;
                failure = null;
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, f.getMessage() + " (" + failedRecords
                        + " record(s) lost so far)", f.getCause());
            }
            if (checkpointed < target) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the telemetry writer of " + db.describe()
                        + " stopped before writing everything; see the log for the cause");
            }
        }
    }

    private void run() {
        List<InvocationRecord> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                InvocationRecord first = queue.poll(20, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    write(batch);
                    int n = batch.size();
                    batch.clear();
                    synchronized (lock) {
                        done += n;
                    }
                }
                boolean checkpoint;
                boolean stop;
                synchronized (lock) {
                    checkpoint = checkpointWanted > checkpointed && done >= checkpointWanted;
                    // Also wait for a record counted by a racing accept() but not yet queued.
                    stop = closed && queue.isEmpty() && done >= accepted.get();
                }
                if (checkpoint || (stop && done > checkpointed)) {
                    long upTo;
                    synchronized (lock) {
                        upTo = done;
                    }
                    checkpoint();
                    synchronized (lock) {
                        checkpointed = Math.max(checkpointed, upTo);
                        lock.notifyAll();
                    }
                }
                if (stop) {
                    synchronized (lock) {
                        checkpointed = Math.max(checkpointed, done);
                        lock.notifyAll();
                    }
                    closeConnection();
                    return;
                }
            } catch (InterruptedException e) {
                // Interrupts come only from close() giving up; what is left is reported there.
                closeConnection();
                return;
            } catch (RuntimeException e) {
                // The stack trace only at debug (--verbose): at error, slf4j-simple printed it to a CLI
                // user's stderr, e.g. when the store was refused as damaged (issue 13, item 7).
                LOG.error("telemetry writer of {} failed: {}", db.describe(), e.toString());
                LOG.debug("telemetry writer of {} failed", db.describe(), e);
            }
        }
    }

    private void write(List<InvocationRecord> batch) throws InterruptedException {
        halvingsLeft = MAX_HALVINGS;
        write(batch, ATTEMPTS, false);
    }

    /**
     * Writes {@code batch} in one transaction, with up to {@code attempts} tries for a failure that is
     * not passing. {@code tried}: an earlier attempt of these records may have committed.
     */
    private void write(List<InvocationRecord> batch, int attempts, boolean tried) throws InterruptedException {
        Exception last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                Connection c = connection();
                // After a failure the previous attempt may have committed before its connection broke.
                InvocationTable.write(c, batch, tried || attempt > 1);
                c.commit();
                failing = false;
                return;
            } catch (SQLException | RuntimeException e) {
                // LlmServiceException: the store could not be reached or started (a full disk, say); the
                // batch must still end counted as written or as failed, or flush() would wait forever.
                last = e;
                if (e instanceof SQLException sql) {
                    db.connectionFailed(sql);
                }
                // Retries are routine (a daemon or server restarting); only the final failure is an error.
                LOG.debug("telemetry write of {} record(s) to {} failed (attempt {}): {}", batch.size(), db.describe(),
                        attempt, e.getMessage());
                rollback();
                closeConnection();
                if (!retryAfter(e, attempt, attempts, batch.size() + " record(s)")) {
                    break;
                }
            }
        }
        if (batch.size() > 1 && isRecordFailure(last) && halvingsLeft > 0) {
            halvingsLeft--;
            // One record the database refuses (a value it cannot hold, a constraint) must not take the
            // unrelated records of its batch with it: halve until only the failing ones are left.
            LOG.warn("telemetry: a batch of {} record(s) could not be written to {} ({}); writing it in halves so"
                    + " that only the record(s) at fault are lost", batch.size(), db.describe(),
                    Sql.oneLine(String.valueOf(last.getMessage())));
            int half = batch.size() / 2;
            write(batch.subList(0, half), ISOLATING_ATTEMPTS, true);
            write(batch.subList(half, batch.size()), ISOLATING_ATTEMPTS, true);
            return;
        }
        String which = batch.size() == 1 ? " (request " + batch.get(0).requestId() + " attempt "
                + batch.get(0).attempt() + ")" : "";
        LOG.error("telemetry: {} record(s) could not be written to {}{}: {}", batch.size(), db.describe(), which,
                last.getMessage(), last);
        synchronized (lock) {
            failedRecords += batch.size();
            failure = new LlmServiceException(ErrorCode.TELEMETRY_STORE, batch.size() + " telemetry record(s) could not"
                    + " be written to " + db.describe() + which + ": " + last.getMessage(), last);
        }
    }

    /**
     * Whether {@code e} is the fault of the records written rather than of the store: a database error
     * that is neither a lost connection nor passing, or a record the table could not map. A store that
     * cannot be reached or served ({@link LlmServiceException}) fails every record alike.
     */
    private boolean isRecordFailure(Exception e) {
        if (e instanceof SQLException sql) {
            return !db.lost(sql) && !db.passing(sql);
        }
        return e instanceof RuntimeException && !(e instanceof LlmServiceException);
    }

    /**
     * After attempt {@code attempt} failed with {@code e}: whether to try again, having waited the backoff.
     * A store that cannot be reached, or a passing failure, is retried until {@link #retryForNanos} of
     * outage have passed (counted from the first failure since the last success); other failures
     * {@link #ATTEMPTS} times; an {@link LlmServiceException} (the store cannot be served at all) never.
     */
    private boolean retryAfter(Exception e, int attempt, int attempts, String what) throws InterruptedException {
        if (!failing) {
            failing = true;
            failingSince = System.nanoTime();
        }
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        // lost(): also a pool that waited its connect timeout in vain (which the ledgers do not retry).
        boolean passing = db.lost(sql) || db.passing(sql);
        long backoffMs = Math.min(MAX_BACKOFF_MS, 50L << Math.min(attempt, 10));
        long left = retryForNanos - (System.nanoTime() - failingSince);
        if (closing) {
            left = Math.min(left, closeDeadline - System.nanoTime());
        }
        if (passing ? left <= 0 : attempt >= attempts) {
            return false;
        }
        if (passing && attempt == 1) {
            LOG.warn("telemetry: {} cannot be reached ({}); keeping {} and retrying for up to {} s", db.describe(),
                    Sql.oneLine(e.getMessage()), what, Math.max(1, left / 1_000_000_000L));
        }
        Thread.sleep(passing ? Math.max(1, Math.min(backoffMs, left / 1_000_000L)) : backoffMs);
        return true;
    }

    private void checkpoint() throws InterruptedException {
        Exception last = null;
        for (int attempt = 1; ; attempt++) {
            try {
                db.makeDurable(connection());
                failing = false;
                return;
            } catch (SQLException | LlmServiceException e) {
                last = e;
                if (e instanceof SQLException sql) {
                    db.connectionFailed(sql);
                }
                LOG.debug("telemetry checkpoint of {} failed (attempt {}): {}", db.describe(), attempt, e.getMessage());
                closeConnection();
                if (!retryAfter(e, attempt, ATTEMPTS, "the checkpoint")) {
                    break;
                }
            }
        }
        synchronized (lock) {
            // A write failure already recorded says more (which records, why); keep it.
            if (failure == null) {
                failure = new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry records could not be made"
                        + " durable in " + db.describe() + ": " + (last == null ? "" : last.getMessage()), last);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = db.connection();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                LOG.debug("rolling back a telemetry batch failed: {}", e.toString());
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing a telemetry connection failed: {}", e.toString());
            }
            connection = null;
        }
    }

    /** Drains, commits and stops the thread; reports records that could not be written. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closeDeadline = System.nanoTime() + closeWaitNanos;
            closing = true;
            closed = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (failure != null) {
                LlmServiceException f = failure;
                failure = null;
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, f.getMessage() + " (" + failedRecords
                        + " record(s) lost in total)", f.getCause());
            }
        }
    }
}
