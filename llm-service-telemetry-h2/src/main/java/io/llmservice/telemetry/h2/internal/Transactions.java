package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs short read-modify-write transactions of the ledgers (budgets, rate limits) against the
 * daemon, retrying those that fail for a passing reason: a lock wait that timed out, a deadlock, a
 * concurrent insert of the same row, or a daemon that went away ({@link TelemetryDatabase#lost}),
 * after which the next attempt finds or starts another. Work must therefore be safe to run again
 * after a rollback — and after a commit whose acknowledgement was lost (see the callers).
 *
 * <p>Stateless; thread-safe.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    static final int ATTEMPTS = 8;

    /** Where connections come from: the store's database, or a test's wrapper around it. */
    @FunctionalInterface
    interface Source {
        Connection connection() throws SQLException;

        /** Told of each failure, so that a connection to a daemon that went away is not used again. */
        default void connectionFailed(SQLException e) {
        }
    }

    /** Work inside one transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in a transaction, retrying passing failures up to {@link #ATTEMPTS} times.
     *
     * @param failure how an error that remains starts, e.g. {@code budget ledger in <path>: could not reserve}
     */
    static <T> T run(Source db, String failure, Work<T> work) {
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
                if (!passing(e)) {
                    break;
                }
                LOG.debug("{} (attempt {} of {}), retrying: {}", failure, attempt, ATTEMPTS, e.getMessage());
                sleep(attempt);
            }
        }
        throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, failure + ": " + (last == null ? ""
                : StoreDaemon.oneLine(last.getMessage())), last);
    }

    /** Lock timeouts (50200), deadlocks (40001), a concurrent insert of the same key (23505), a lost daemon. */
    static boolean passing(SQLException e) {
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
            throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while waiting for the telemetry store", e);
        }
    }
}
