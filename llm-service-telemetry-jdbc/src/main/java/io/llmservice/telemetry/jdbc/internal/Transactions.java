package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.StoreUnreachableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs short read-modify-write transactions of the ledgers (budgets, rate limits) against the
 * daemon, retrying those that fail for a passing reason: a lock wait that timed out, a deadlock, a
 * concurrent insert of the same row, or a server that went away ({@link JdbcDatabase#passing}),
 * after which the next attempt reconnects. Work must therefore be safe to run again
 * after a rollback — and after a commit whose acknowledgement was lost (see the callers).
 *
 * <p>Stateless; thread-safe.
 */
public final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    static final int ATTEMPTS = 8;

    /** Work inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction, retrying passing failures up to {@link #ATTEMPTS} times.
     *
     * @param failure how an error that remains starts, e.g. {@code budget ledger in <path>: could not reserve}
     */
    public static <T> T run(JdbcDatabase db, String failure, Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(c);
                    throw e;
                }
            } catch (SQLException e) {
                last = e;
                db.connectionFailed(e);
                if (!db.passing(e)) {
                    break;
                }
                LOG.debug("{} (attempt {} of {}), retrying: {}", failure, attempt, ATTEMPTS, e.getMessage());
                sleep(attempt);
            }
        }
        throw failed(db, failure, last);
    }

    /**
     * The error for a store operation that failed with {@code e}: a {@link StoreUnreachableException}
     * when the store could not be reached ({@link JdbcDatabase#unreachable}), else a plain one; both
     * with code {@code TELEMETRY_STORE}.
     */
    public static LlmServiceException failed(JdbcDatabase db, String failure, SQLException e) {
        String message = failure + ": " + (e == null ? "" : Sql.oneLine(e.getMessage()));
        if (e != null && db.unreachable(e)) {
            return new StoreUnreachableException(message, e);
        }
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, message, e);
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
            throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while waiting for the telemetry store", e);
        }
    }
}
