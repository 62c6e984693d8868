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
    /** A data file at least this big when opened is compacted when closed ({@link #url(Path, long)}). */
    static final long COMPACT_FROM_BYTES = 4L * 1024 * 1024;

    private final Path path;
    private final JdbcConnectionPool pool;

    private TelemetryDatabase(Path path, JdbcConnectionPool pool) {
        this.path = path;
        this.pool = pool;
    }

    /** Opens (creating and migrating as needed) the database whose files start with {@code path}. */
    static TelemetryDatabase open(Path path) {
        Path base = path.toAbsolutePath().normalize();
        long size = checkFiles(base);
        JdbcConnectionPool pool = JdbcConnectionPool.create(url(base, size), "sa", "");
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

    /** The URL for the database at {@code base}, as {@link #open} would choose it now. */
    static String url(Path base) {
        Path data = dataFile(base);
        long size;
        try {
            size = Files.exists(data) ? Files.size(data) : 0;
        } catch (IOException e) {
            size = 0;
        }
        return url(base, size);
    }

    /**
     * The URL for the database at {@code base} whose data file is {@code size} bytes now.
     *
     * <p>Compaction on close: each open and close leaves ~50–80 KB of chunks behind. H2 writes over
     * chunks dead for longer than its retention time (45 s), so without compaction the file grows only
     * by the sessions of the last 45 s — ~3 MB for a loop of command-line calls, then no further — but
     * a program that opens and closes stores many times a second could make it far bigger. So a file of
     * {@link #COMPACT_FROM_BYTES} or more is compacted on close, for at most 20 ms (H2's default is
     * 200 ms), and a smaller one is not: a command-line call spends ~50 ms of its life on a compaction
     * even with that bound (one round always completes, on code not yet compiled).
     */
    static String url(Path base, long size) {
        // LOCK_TIMEOUT: a reservation waits for the budget row held by another process rather than failing.
        // WRITE_DELAY=0: a commit reaches the file before it returns (H2 otherwise writes within 500 ms),
        // so a settled cost survives a crash of the process serving the database.
        int compactMillis = size >= COMPACT_FROM_BYTES ? 20 : 0;
        return "jdbc:h2:file:" + base + ";AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;MAX_COMPACT_TIME="
                + compactMillis;
    }

    /** The data file H2 keeps for {@code base}. */
    static Path dataFile(Path base) {
        return base.resolveSibling(base.getFileName() + ".mv.db");
    }

    /** Checks the files and returns the data file's size (0 when there is none yet). */
    private static long checkFiles(Path base) {
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
            long size;
            try (InputStream in = Files.newInputStream(data)) {
                n = in.readNBytes(head, 0, head.length);
                size = Files.size(data);
            } catch (IOException e) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read telemetry database " + data
                        + ": " + e, e);
            }
            // An empty file is what a process killed while creating the database leaves; H2 starts it afresh.
            if (n > 0 && (n < head.length || !Arrays.equals(head, MVSTORE_HEADER))) {
                throw notH2(data, "it does not start with an H2 2.x header");
            }
            return size;
        }
        return 0;
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
