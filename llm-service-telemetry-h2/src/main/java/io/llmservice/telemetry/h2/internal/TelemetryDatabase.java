package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.h2.jdbcx.JdbcConnectionPool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The H2 file database behind one store: checks the files before H2 touches them, opens a
 * connection pool in automatic mixed mode and migrates the schema.
 *
 * <p>Automatic mixed mode ({@code AUTO_SERVER=TRUE}): the first process to open the file holds it
 * and serves the others over a loopback TCP connection whose address and random key are in
 * {@code <path>.lock.db}; when it exits, another process takes over. So several processes share
 * one database — and one row lock per budget period — instead of failing with "database is locked".
 *
 * <p>Thread-safe; closed once by its store.
 */
final class TelemetryDatabase implements AutoCloseable {
    /** What every MVStore file (H2 2.x) starts with; anything else is not ours to open. */
    private static final byte[] MVSTORE_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CONNECTIONS = 16;
    private static final long OPEN_WAIT_NANOS = 15_000_000_000L;

    private final Path path;
    private final JdbcConnectionPool pool;

    private TelemetryDatabase(Path path, JdbcConnectionPool pool) {
        this.path = path;
        this.pool = pool;
    }

    /** Opens (creating and migrating as needed) the database whose files start with {@code path}. */
    static TelemetryDatabase open(Path path) {
        Path base = path.toAbsolutePath().normalize();
        checkFiles(base);
        JdbcConnectionPool pool = JdbcConnectionPool.create(url(base), "sa", "");
        pool.setMaxConnections(MAX_CONNECTIONS);
        TelemetryDatabase db = new TelemetryDatabase(base, pool);
        try {
            db.probe();
            SchemaMigrator.migrate(pool, base);
            return db;
        } catch (RuntimeException e) {
            pool.dispose();
            throw e;
        }
    }

    static String url(Path base) {
        // LOCK_TIMEOUT: a reservation waits for the budget row held by another process rather than failing.
        // WRITE_DELAY=0: a commit reaches the file before it returns (H2 otherwise writes within 500 ms),
        // so a settled cost survives a crash of the process serving the database.
        // MAX_COMPACT_TIME=20: closing compacts the file for at most 20 ms instead of H2's 200. Every open
        // and close leaves chunks behind, so without compaction the file grows by ~80 KB per command-line
        // call (64 MB after 1,000); 20 ms keeps it at its data's size (docs/benchmarks.md), and a short
        // command no longer spends 100 ms of its life compacting.
        return "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;MAX_COMPACT_TIME=20";
    }

    /** The data file H2 keeps for {@code base}. */
    static Path dataFile(Path base) {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    private static void checkFiles(Path base) {
        String s = base.toString();
        if (s.indexOf(';') >= 0) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry path " + base
                    + " contains ';', which H2 cannot take in a database path; set policies.telemetry.path to another path");
        }
        Path dir = base.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry path " + base
                    + " is not writable: cannot create directory " + dir + " (" + e + "); fix its permissions or set"
                    + " policies.telemetry.path to a writable location", e);
        }
        if (!Files.isWritable(dir)) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry path " + base
                    + " is not writable: directory " + dir + " does not allow writing; fix its permissions or set"
                    + " policies.telemetry.path to a writable location");
        }
        Path data = dataFile(base);
        if (Files.exists(data)) {
            if (!Files.isRegularFile(data) || !Files.isReadable(data) || !Files.isWritable(data)) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + data
                        + " is not a readable and writable file; fix its permissions");
            }
            byte[] head = new byte[MVSTORE_HEADER.length];
            int n;
            try (InputStream in = Files.newInputStream(data)) {
                n = in.readNBytes(head, 0, head.length);
            } catch (IOException e) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read telemetry database " + data
                        + ": " + e, e);
            }
            // An empty file is what a process killed while creating the database leaves; H2 starts it afresh.
            if (n > 0 && (n < head.length || !Arrays.equals(head, MVSTORE_HEADER))) {
                throw notH2(data, "it does not start with an H2 2.x header");
            }
        }
    }

    private static LlmServiceException notH2(Path data, String why) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + data
                + " is not an H2 database or is corrupted (" + why + "); it was left untouched: move it away"
                + " (or restore a backup), or set policies.telemetry.path to another path");
    }

    /**
     * Connects once. Several processes starting together can find the file locked before its owner has
     * published its server address in the lock file; that passes within moments, so wait for it.
     */
    private void probe() {
        long deadline = System.nanoTime() + OPEN_WAIT_NANOS;
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.isValid(1);
                return;
            } catch (SQLException e) {
                // 90020 "already in use", 8000 "lock file recently modified" or "Concurrent update" (the
                // lock file changed while being read): another process is mid-open.
                String message = String.valueOf(e.getMessage());
                boolean racing = e.getErrorCode() == 90020 || (e.getErrorCode() == 8000
                        && (message.contains("Lock file") || message.contains("Concurrent update")));
                if (!racing || System.nanoTime() > deadline) {
                    throw error("cannot open the telemetry database", e);
                }
                try {
                    Thread.sleep(Math.min(200, 10L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while opening " + path, ie);
                }
            }
        }
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    Path path() {
        return path;
    }

    /** An error naming the database and what H2 said, with the corrupted-file wording where H2 says so. */
    LlmServiceException error(String what, SQLException e) {
        int code = e.getErrorCode();
        // 90030 FILE_CORRUPTED, 90048 FILE_VERSION_ERROR, 90020 DATABASE_ALREADY_OPEN (without mixed mode)
        if (code == 90030 || code == 90048) {
            return new LlmServiceException(ErrorCode.TELEMETRY_STORE, notH2(dataFile(path), e.getMessage()).getMessage(), e);
        }
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, what + " at " + path + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
