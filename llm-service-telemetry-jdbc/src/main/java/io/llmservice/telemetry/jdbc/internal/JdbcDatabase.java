package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.spi.StoreCheck;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * One SQL database behind a telemetry store, as the dialect-neutral code of this module sees it: where
 * connections come from, which failures are passing, how the store is named in messages, and what a
 * dialect must do beyond a commit to make writes durable. The H2 store implements it over its daemon,
 * the PostgreSQL store over a connection pool.
 *
 * <pre>{@code
 * JdbcDatabase db = ...;                       // the store module's implementation
 * JdbcTelemetryStore store = new JdbcTelemetryStore(db, clock, BatchingWriter.DEFAULT_CAPACITY);
 * }</pre>
 *
 * <p>Implementations are thread-safe.
 */
public interface JdbcDatabase extends AutoCloseable {

    /** A connection (pooled); the caller closes it. */
    Connection connection() throws SQLException;

    /**
     * Told of each failure, so that a connection to a server that went away is not used again; the
     * default does nothing.
     */
    default void connectionFailed(SQLException e) {
    }

    /**
     * Whether {@code e} says the server could not be reached or the connection broke: a JDBC
     * connection-class state ({@code 08...}) by default; a dialect adds its own codes.
     */
    default boolean lost(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("08");
    }

    /**
     * Whether {@code e} means the store could not be reached at all (its server down, the network
     * gone): such a failure is thrown as a {@link io.llmservice.StoreUnreachableException}, and only
     * it lets a soft budget run unmetered ({@code when_down: run}). The default is {@link #lost}; a
     * dialect leaves out failures of a server that answers (a pool whose connections are all busy).
     */
    default boolean unreachable(SQLException e) {
        return lost(e);
    }

    /**
     * Whether a transaction that failed with {@code e} may simply be run again: a lost connection,
     * a serialization failure or deadlock (SQL state class {@code 40}: {@code 40001}, PostgreSQL's
     * {@code 40P01}), a concurrent insert of the same key ({@code 23505}). A dialect adds its lock
     * timeouts.
     */
    default boolean passing(SQLException e) {
        String state = e.getSQLState();
        return lost(e) || (state != null && (state.startsWith("40") || state.equals("23505")));
    }

    /**
     * The database server's time, read on {@code c}: the clock the ledgers judge expiry and refills by
     * (see {@code DatabaseClock}). The default reads {@code CURRENT_TIMESTAMP}, which H2 and PostgreSQL
     * both answer with the start of the current transaction.
     */
    default Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class).toInstant();
        }
    }

    /**
     * How an {@code ORDER BY} names the text column {@code column} so that it sorts by code point, as
     * {@link String#compareTo} does for the characters of request ids: the column itself by default
     * (H2 compares strings so); PostgreSQL adds {@code COLLATE "C"} (its database's locale may sort
     * otherwise).
     */
    default String codePointOrder(String column) {
        return column;
    }

    /** How messages name the store: a file path or a JDBC URL with its user, never a password. */
    String describe();

    /**
     * Makes everything committed so far durable, on a connection of the writer (H2 writes its file
     * now instead of within its write delay). The default does nothing: a commit is durable.
     */
    default void makeDurable(Connection c) throws SQLException {
    }

    /**
     * The store's own lasting id, under which a target remembers what {@link StoreCopy} imported from it
     * (H2: {@code store_mark.store_id}); empty (the default) for a store that has none and so cannot be a
     * copy's source.
     */
    default java.util.Optional<String> storeId(Connection c) throws SQLException {
        return java.util.Optional.empty();
    }

    /** Reads the store back for {@code llm-service telemetry check}. */
    StoreCheck check(Connection c) throws SQLException;

    /** Releases connections. Idempotent. */
    @Override
    void close();
}
