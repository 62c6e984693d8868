package io.llmservice.telemetry.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.StoreUnreachableException;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.telemetry.jdbc.internal.JdbcDatabase;
import io.llmservice.telemetry.jdbc.internal.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PostgreSQL database behind one store, through a small bounded HikariCP pool: at most
 * {@code pool_size} connections (one of them held by the log writer), one kept idle, a connection waited
 * for at most {@code connect_timeout}. Connections start in the role's current schema (its
 * {@code search_path}, or the URL's {@code currentSchema}); the tables are there.
 *
 * <pre>{@code
 * PostgresDatabase db = PostgresDatabase.openStore(PostgresTarget.of(settings), settings);  // pool up, tables made
 * try (Connection c = db.connection()) { ... }
 * db.close();
 * }</pre>
 *
 * <p><b>A server down at open.</b> {@link #openStore} does not fail when the server cannot be reached
 * (refused, timed out, starting up: {@link #serverNotReached}): a process that starts during an outage must still
 * run the calls that need no budget, or only a soft one with {@code when_down: run}. The store then
 * connects, and migrates its schema once (under Flyway's advisory lock), on the first {@link #connection()}
 * that reaches the server; until then each {@link #connection()} fails within {@code connect_timeout} as a
 * lost connection ({@link SQLTransientConnectionException}, SQL state {@code 08001}) naming the URL, which
 * the ledgers report as an unreachable store. A wrong password, a missing database, a newer schema or a
 * role that may not create its tables still fail the open at once when the server answers; found later,
 * they fail each use with the same message.
 *
 * <p><b>Locks.</b> Each session waits at most {@code connect_timeout} for a row lock ({@code lock_timeout})
 * and is ended by the server when it sits idle inside a transaction for {@link #IDLE_IN_TRANSACTION}, so a
 * host that stalls while holding a budget's period row stops the others for seconds, not for good.
 *
 * <p><b>Failures.</b> A server that went away ({@code 08...}), shut down or restarting ({@code 57P01},
 * {@code 57P02}, {@code 57P03}), out of connections ({@code 53300}) or not reachable within
 * {@code connect_timeout} (the pool's {@link SQLTransientConnectionException}) is {@link #lost}. A
 * transaction that failed on a lost connection, a serialization failure or deadlock ({@code 40001},
 * {@code 40P01}), a lock not available ({@code 55P03}) or a concurrent insert of the same key
 * ({@code 23505}) is {@link #passing} and is run again — except when the pool already waited
 * {@code connect_timeout} for a connection: then the server counts as down and the caller hears so now,
 * instead of after every retry has waited as long again. Every exception from {@link #connection()}
 * has the password replaced by {@code ****} ({@link PostgresTarget#redact(SQLException)}).
 *
 * <p>Thread-safe; closed once by its store.
 */
final class PostgresDatabase implements JdbcDatabase {
    /** The least {@code connect_timeout} HikariCP takes (it would silently use 30 s instead). */
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    /** The log writer keeps a connection; the ledgers need at least one more. */
    static final int MIN_POOL_SIZE = 2;
    /** How long the server keeps a session that sits idle inside a transaction (its locks held). */
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(60);
    private static final Set<String> LOST_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Set<String> PASSING_STATES = Set.of("40001", "40P01", "55P03", "23505");
    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    private final PostgresTarget target;
    private final HikariDataSource pool;
    private final Object migrateLock = new Object();
    /** Whether the schema is this build's: false until a deferred store first reaches the server. */
    private volatile boolean migrated;

    private PostgresDatabase(PostgresTarget target, HikariDataSource pool, boolean migrated) {
        this.target = target;
        this.pool = pool;
        this.migrated = migrated;
    }

    /**
     * Starts the pool and makes its first connection, so that a server that cannot be reached, a wrong
     * password or a missing database is an error now, naming the URL and the user (never the password)
     * and saying what to check. Nothing is created or migrated (for {@code telemetry check}).
     */
    static PostgresDatabase open(PostgresTarget target, TelemetrySettings settings) {
        return open(target, settings, false);
    }

    /**
     * Opens the database a store uses, its tables created or migrated: as {@link #open}, except that a
     * server that cannot be reached now is not an error: the store connects and migrates on first use
     * (see the class comment).
     */
    static PostgresDatabase openStore(PostgresTarget target, TelemetrySettings settings) {
        PostgresDatabase db = open(target, settings, true);
        if (!db.migrated) {
            return db; // the server could not be reached: migrated on first use
        }
        try {
            SchemaMigrator.migrate(db.pool, target);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    private static PostgresDatabase open(PostgresTarget target, TelemetrySettings settings, boolean deferUnreachable) {
        if (settings.poolSize() < MIN_POOL_SIZE) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry store " + target.describe()
                    + ": policies.telemetry.pool_size " + settings.poolSize() + " is too small for store: postgres;"
                    + " its log writer keeps one connection and the budget ledger needs another: set pool_size: "
                    + MIN_POOL_SIZE + " or more");
        }
        if (settings.connectTimeout().compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry store " + target.describe()
                    + ": policies.telemetry.connect_timeout " + settings.connectTimeout().toMillis() + "ms is shorter"
                    + " than the connection pool takes (" + MIN_CONNECT_TIMEOUT.toMillis() + "ms): set connect_timeout: "
                    + MIN_CONNECT_TIMEOUT.toMillis() + "ms or more");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config(target, settings, 1));
        } catch (HikariPool.PoolInitializationException e) {
            SQLException cause = e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getCause() == null ? e.getMessage() : e.getCause().toString(), "08001");
            SQLException redacted = target.redact(cause);
            if (!deferUnreachable || !serverNotReached(redacted)) {
                throw cannotConnect(target, redacted);
            }
            LOG.warn("telemetry: PostgreSQL at {} cannot be reached now ({}); the store connects when it can, and"
                    + " until then budgets are handled as policies.telemetry.when_down says", target.describe(),
                    Sql.oneLine(rootCause(redacted).getMessage()));
            // No attempt at start: every getConnection() tries, for at most connect_timeout.
            return new PostgresDatabase(target, new HikariDataSource(config(target, settings, -1)), false);
        } catch (RuntimeException e) {
            // e.g. a URL the driver does not accept
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, target.redact("telemetry: cannot connect to"
                    + " PostgreSQL at " + target.describe() + ": " + Sql.oneLine(e.getMessage())
                    + "; check policies.telemetry.url"));
        }
        return new PostgresDatabase(target, pool, true);
    }

    /**
     * Whether the server could not be reached at all (refused, timed out, unknown host, starting up or out
     * of connections), as opposed to a server that answered with a refusal (password, database).
     */
    static boolean serverNotReached(SQLException e) {
        SQLException reason = rootCause(e);
        String state = reason.getSQLState();
        if (state == null) {
            return reason instanceof SQLTransientConnectionException; // the pool timed out before any answer
        }
        return state.startsWith("08") || LOST_STATES.contains(state);
    }

    /** The pool's settings; {@code initializationFailTimeout} 1 makes one attempt at start, -1 none. */
    private static HikariConfig config(PostgresTarget target, TelemetrySettings settings, long initializationFailTimeout) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("llm-service-telemetry " + target.describe());
        config.setJdbcUrl(target.url());
        target.user().ifPresent(config::setUsername);
        target.password().ifPresent(p -> config.setPassword(p.reveal()));
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // The driver's own bounds for making a connection (seconds): a host that drops packets must not
        // hold a caller longer than connect_timeout.
        long seconds = Math.max(1, (settings.connectTimeout().toMillis() + 999) / 1000);
        config.addDataSourceProperty("connectTimeout", Long.toString(seconds));
        config.addDataSourceProperty("loginTimeout", Long.toString(seconds));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // A host that stalls inside a ledger transaction (frozen, partitioned) must not hold a budget's
        // period row from every other host: a lock is waited for at most connect_timeout (then the
        // transaction is retried, 55P03), and the server ends a session idle in a transaction.
        config.addDataSourceProperty("options", "-c lock_timeout=" + settings.connectTimeout().toMillis()
                + "ms -c idle_in_transaction_session_timeout=" + IDLE_IN_TRANSACTION.toMillis() + "ms");
        config.addDataSourceProperty("ApplicationName", "llm-service");
        config.setInitializationFailTimeout(initializationFailTimeout);
        return config;
    }

    /**
     * The error for a store that cannot be reached: what failed (URL, user, the server's or driver's
     * reason in one line) and what to check, by the SQL state of {@code e} (already redacted).
     */
    static LlmServiceException cannotConnect(PostgresTarget target, SQLException e) {
        SQLException reason = rootCause(e);
        String state = reason.getSQLState() == null ? "" : reason.getSQLState();
        String hint;
        if (state.startsWith("28")) {
            hint = "check policies.telemetry.user and " + target.passwordSource();
        } else if (state.equals("3D000")) {
            hint = "create the database (docs/team.md) or fix its name in policies.telemetry.url";
        } else {
            hint = "is PostgreSQL running at " + target.hostSpec() + " and reachable from this host? Check"
                    + " policies.telemetry.url and user, and " + target.passwordSource();
        }
        String message = target.redact("telemetry: cannot connect to PostgreSQL at " + target.describe() + ": "
                + Sql.oneLine(reason.getMessage()) + (state.isEmpty() ? "" : " (SQL state " + state + ")") + "; " + hint);
        // Down or unreachable (no answer, refused, shutting down) differs from a server that said no
        // (a wrong password, a missing database): only the first is "the store could not be reached".
        if (isUnreachable(e) || isUnreachable(reason)) {
            return new StoreUnreachableException(message, target.redact(e));
        }
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, message, target.redact(e));
    }

    /** The driver's exception under the pool's "connection is not available" wrapper, if there is one. */
    private static SQLException rootCause(SQLException e) {
        SQLException deepest = e;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                deepest = sql;
            }
        }
        return deepest;
    }

    /**
     * A pooled connection. A store opened while the server was down first reaches it and migrates the
     * schema; until it can, this fails within {@code connect_timeout} with a lost-connection exception
     * naming the URL, and a schema that cannot be migrated fails with the migrator's
     * {@link LlmServiceException}.
     */
    @Override
    public Connection connection() throws SQLException {
        if (!migrated) {
            migrateOnFirstUse();
        }
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw target.redact(e);
        }
    }

    private void migrateOnFirstUse() throws SQLException {
        // Reach the server outside the lock: callers waiting for an unreachable server each wait connect_timeout
        // once, side by side, not one after another.
        try (Connection probe = pool.getConnection()) {
            probe.isValid(1);
        } catch (SQLException e) {
            SQLException redacted = target.redact(e);
            if (!serverNotReached(redacted)) {
                throw cannotConnect(target, redacted);
            }
            LlmServiceException why = cannotConnect(target, redacted);
            throw new SQLTransientConnectionException(why.getMessage(), "08001", redacted);
        }
        synchronized (migrateLock) {
            if (!migrated) {
                SchemaMigrator.migrate(pool, target);
                migrated = true;
                LOG.info("telemetry: PostgreSQL at {} reached; the store's schema is this build's", target.describe());
            }
        }
    }

    /** When the server went away, drops the idle connections at once instead of finding each one dead. */
    @Override
    public void connectionFailed(SQLException e) {
        if (lost(e) && !(e instanceof SQLTransientConnectionException) && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    @Override
    public boolean lost(SQLException e) {
        return isLost(e);
    }

    @Override
    public boolean passing(SQLException e) {
        return isPassing(e);
    }

    @Override
    public boolean unreachable(SQLException e) {
        return isUnreachable(e);
    }

    /**
     * Lost ({@link #isLost}), except a pool that timed out with no failed connection attempt under it:
     * all its connections were busy on a server that answers, which is not "PostgreSQL is down". (The
     * pool's timeout carries the last connection failure, with its SQL state, when there was one.)
     */
    static boolean isUnreachable(SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() == null && e.getSQLState() == null) {
            return false;
        }
        return isLost(e);
    }

    static boolean isLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || LOST_STATES.contains(state)));
    }

    static boolean isPassing(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return false; // the pool waited connect_timeout already: the server is down, say so
        }
        String state = e.getSQLState();
        return isLost(e) || (state != null && PASSING_STATES.contains(state));
    }

    /** {@code column COLLATE "C"}: byte order, which for UTF-8 is code-point order, whatever the database's locale. */
    @Override
    public String codePointOrder(String column) {
        return column + " COLLATE \"C\"";
    }

    @Override
    public String describe() {
        return target.describe();
    }

    /**
     * Counts the rows of every table of the store's schema and reads the schema version; missing
     * tables, a failed or newer migration, or a table that cannot be read make the store damaged. A
     * schema without the store's history table is "no store here" (nothing is created).
     */
    @Override
    public StoreCheck check(Connection c) throws SQLException {
        List<String> findings = new ArrayList<>();
        String schema;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
            rs.next();
            schema = rs.getString(1);
        }
        if (schema == null) {
            return new StoreCheck(false, List.of("no schema to look in at " + describe() + ": the user's search_path"
                    + " names no schema that exists; create the store's schema (docs/team.md)"));
        }
        Set<String> tables = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        if (!tables.contains(SchemaMigrator.HISTORY_TABLE)) {
            return new StoreCheck(false, List.of("no 'postgres' store at " + describe() + " in schema " + schema + ": "
                    + SchemaMigrator.HISTORY_TABLE + " does not exist (nothing was created); check policies.telemetry.url"
                    + " and user, or open the store once to create it"));
        }
        boolean ok = true;
        c.setAutoCommit(true);
        for (String table : tables) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                rs.next();
                findings.add("table " + table + ": " + rs.getLong(1) + " row(s)");
            } catch (SQLException e) {
                ok = false;
                findings.add("table " + table + ": unreadable: " + Sql.oneLine(target.redact(e.getMessage())));
            }
        }
        for (String table : SchemaMigrator.TABLES) {
            if (!tables.contains(table)) {
                ok = false;
                findings.add("table " + table + ": MISSING");
            }
        }
        SchemaMigrator.Version version = SchemaMigrator.version(c);
        findings.add("schema: " + schema + ", version " + version.describe());
        ok &= version.current();
        findings.add(ok ? "ok: " + describe() + " reads back whole" : "DAMAGED: " + describe() + " is not a whole"
                + " store of this build (see above); restore a backup, or point policies.telemetry.url at another"
                + " database");
        return new StoreCheck(ok, findings);
    }

    @Override
    public void close() {
        pool.close();
    }
}
