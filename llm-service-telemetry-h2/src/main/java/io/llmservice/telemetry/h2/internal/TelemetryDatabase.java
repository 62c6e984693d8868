package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.StoreCheck;
import io.llmservice.telemetry.jdbc.internal.JdbcDatabase;
import io.llmservice.telemetry.jdbc.internal.Sql;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The H2 database behind one store, as a client of the store's daemon ({@link StoreDaemon}): the
 * daemon owns the file and serves it on 127.0.0.1; this class finds it (or starts it) through
 * {@link DaemonLauncher} and keeps a small pool of connections to it.
 *
 * <p>When the daemon goes away (it stopped when idle, was killed, or replaced), the connections
 * break; a caller that sees such an error calls {@link #connectionFailed}, and the next
 * {@link #connection()} finds or starts the daemon again. Callers retry their transactions, so a
 * daemon restart costs a call a second or two, not an error.
 *
 * <p>Thread-safe; closed once by its store.
 */
final class TelemetryDatabase implements JdbcDatabase {
    private static final int MAX_CONNECTIONS = 16;
    private static final long RECONNECT_NANOS = 10_000_000_000L;

    private final StoreFiles files;
    private final Object lock = new Object();
    // Guarded by lock.
    private JdbcConnectionPool pool;
    private boolean closed;

    private TelemetryDatabase(StoreFiles files) {
        this.files = files;
    }

    /** Connects to the store whose files start with {@code path}, starting its daemon if none runs. */
    static TelemetryDatabase open(Path path) {
        Path base = path.toAbsolutePath().normalize();
        if (base.toString().indexOf(';') >= 0) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry path " + base
                    + " contains ';', which H2 cannot take in a database path; set policies.telemetry.path to another path");
        }
        TelemetryDatabase db = new TelemetryDatabase(new StoreFiles(base));
        try (Connection c = db.connection()) {
            c.isValid(1);
        } catch (SQLException e) {
            db.close();
            throw db.error("cannot open the telemetry database", e);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** The data file H2 keeps for {@code base}. */
    static Path dataFile(Path base) {
        return new StoreFiles(base).data();
    }

    /**
     * A pooled connection to the daemon. When none can be made because the daemon is gone (killed,
     * stopped, still releasing the file), the daemon is looked for — or started — again, for up to
     * {@link #RECONNECT_NANOS}.
     */
    @Override
    public Connection connection() throws SQLException {
        long deadline = System.nanoTime() + RECONNECT_NANOS;
        for (int attempt = 1; ; attempt++) {
            JdbcConnectionPool p = pool();
            try {
                return p.getConnection();
            } catch (SQLException e) {
                if (!lostConnection(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                connectionFailed(p);
                try {
                    Thread.sleep(Math.min(200, 10L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Tells that a connection failed with {@code e}; when the failure means the daemon is gone, the
     * pool is dropped and the next {@link #connection()} finds or starts a daemon.
     */
    @Override
    public void connectionFailed(SQLException e) {
        if (lostConnection(e)) {
            JdbcConnectionPool p;
            synchronized (lock) {
                p = pool;
            }
            if (p != null) {
                connectionFailed(p);
            }
        }
    }

    private void connectionFailed(JdbcConnectionPool failed) {
        synchronized (lock) {
            if (pool == failed) {
                pool = null;
                failed.dispose();
            }
        }
    }

    private JdbcConnectionPool pool() {
        synchronized (lock) {
            if (closed) {
                throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the telemetry store at " + files.base()
                        + " is closed");
            }
            if (pool == null) {
                DaemonEndpoint endpoint = DaemonLauncher.ensure(files);
                StoreCredentials cred = StoreCredentials.read(files).orElseThrow(() -> new LlmServiceException(
                        ErrorCode.TELEMETRY_STORE, "the store daemon of " + files.base() + " runs, but "
                        + files.credentials() + " is missing; stop it with `llm-service daemon stop`"));
                JdbcConnectionPool p = JdbcConnectionPool.create(endpoint.jdbcUrl(), cred.user(), cred.password());
                p.setMaxConnections(MAX_CONNECTIONS);
                pool = p;
            }
            return pool;
        }
    }

    /**
     * Whether {@code e} says the daemon is unreachable: the connection broke or was refused (90067),
     * the database is closing (90098, 90121), or a restarted daemon no longer knows the old key
     * (28000); or a JDBC connection-class state ({@code 08...}).
     */
    static boolean lostConnection(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState();
        return code == 90067 || code == 90098 || code == 90121 || code == 28000
                || (state != null && state.startsWith("08"));
    }

    @Override
    public boolean lost(SQLException e) {
        return lostConnection(e);
    }

    /** Adds H2's lock timeout (50200) and its "concurrent update" (90131) to the common passing failures. */
    @Override
    public boolean passing(SQLException e) {
        int code = e.getErrorCode();
        return code == 50200 || code == 90131 || JdbcDatabase.super.passing(e);
    }

    @Override
    public String describe() {
        return files.base().toString();
    }

    /** Writes committed changes to the file now, instead of within H2's write delay. */
    @Override
    public void makeDurable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT");
        }
    }

    /** The random id the daemon gave this store when it created it ({@code store_mark}). */
    @Override
    public java.util.Optional<String> storeId(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT store_id FROM store_mark WHERE id = 1")) {
            return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
        }
    }

    /**
     * Reads every row of every table through (H2 checks each page it reads) and reports the counts
     * and the store's mark; a page that cannot be read is a finding, not an exception. The daemon
     * has compared the data file with its mark file already when it opened it.
     */
    @Override
    public StoreCheck check(Connection c) throws SQLException {
        List<String> findings = new ArrayList<>();
        boolean ok = true;
        for (String table : TableReadThrough.tables(c)) {
            long[] rows = {0};
            try {
                TableReadThrough.read(c, table, rows);
                findings.add("table " + table.toLowerCase(Locale.ROOT) + ": " + rows[0] + " row(s) read");
            } catch (SQLException | RuntimeException e) {
                ok = false;
                findings.add("table " + table.toLowerCase(Locale.ROOT) + ": unreadable after " + rows[0]
                        + " row(s): " + Sql.oneLine(e.getMessage()));
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT store_id, seq FROM store_mark WHERE id = 1")) {
            findings.add(rs.next() ? "mark: store " + rs.getString(1) + ", sequence " + rs.getLong(2) + " (checked"
                    + " against " + files.mark() + " when the daemon opened the file)" : "mark: none");
        }
        findings.add(ok ? "ok: " + files.data() + " reads back whole" : "DAMAGED: " + files.data()
                + " has unreadable parts; restore a backup, or move it aside to start a new store");
        return new StoreCheck(ok, findings);
    }

    Path path() {
        return files.base();
    }

    StoreFiles files() {
        return files;
    }



    /**
     * An error naming the store and what H2 said. A client never opens the file (the daemon does and
     * reports damage itself), so this is about reaching and using the store.
     */
    LlmServiceException error(String what, SQLException e) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, what + " at " + files.base() + ": "
                + Sql.oneLine(e.getMessage()), e);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (pool != null) {
                pool.dispose();
                pool = null;
            }
        }
    }
}
