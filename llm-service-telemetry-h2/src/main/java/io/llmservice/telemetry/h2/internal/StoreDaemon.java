package io.llmservice.telemetry.h2.internal;

import io.llmservice.telemetry.jdbc.internal.Sql;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.h2.tools.Server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The process that owns one H2 store and serves it to every process of its user: started on demand
 * by the first client ({@link DaemonLauncher}), it opens the data file, refuses it when damaged
 * ({@link StoreMark}), migrates the schema, and serves it through H2's TCP server — on 127.0.0.1
 * only, under a random key that is the only database name the server accepts, to clients that
 * know the store's password ({@link StoreCredentials}). Key and port are in {@code <path>.daemon},
 * readable by the owner only. It exits when no client has been connected for its idle time, when
 * its data file is deleted, on SIGTERM ({@code llm-service daemon stop}), or when the database
 * fails (a full disk, say) — leaving the file to the next daemon.
 *
 * <p>Exit status: 0 after a normal stop (or when another daemon serves the store already), 2 when
 * the store cannot be opened (the reason is the last line of its output, prefixed
 * {@value #FATAL}), 3 when the database failed while serving, {@value #EXIT_RETRY} when the file
 * was not free to open yet ({@link #released}): the launcher starts a daemon again, within its wait.
 *
 * <p>Arguments: the store's path (without {@code .mv.db}) and the idle time (ISO-8601, e.g. PT5M).
 */
public final class StoreDaemon {
    /** How a fatal error line of the daemon starts; the launcher shows what follows to the user. */
    static final String FATAL = "llm-service store daemon: fatal: ";
    /** Exit status when the file was not free to open yet (held, or closed while opening): start again. */
    static final int EXIT_RETRY = 4;
    private static final byte[] MVSTORE_HEADER = "H:2,".getBytes(StandardCharsets.US_ASCII);
    private static final long TICK_MILLIS = 250;
    private static final long MARK_EVERY_MILLIS = 2_000;
    /**
     * A daemon whose data file has grown by this much since it opened it stops (compacting it) and
     * leaves the store to the next client: with chunks only appended (REUSE_SPACE=FALSE, see {@link #embeddedUrl}) a file
     * grows by ~60 KB per call served, and compacts back to the size of its data.
     */
    static final long RECYCLE_BYTES = 64L * 1024 * 1024;
    /**
     * System property: the growth in bytes after which a daemon recycles itself instead of
     * {@link #RECYCLE_BYTES}; for tests that cross many recycles in seconds. The launcher passes it on.
     */
    static final String RECYCLE_PROPERTY = "llmservice.store.recycleBytes";

    private final StoreFiles files;
    private final Connection own;
    private final StoreMark mark;
    private final Server server;
    private final DaemonEndpoint endpoint;
    private boolean stopped;
    private long marked;
    /** The data file's size once opened, checked and migrated; growth beyond it is what compaction gives back. */
    private final long sizeAtOpen;

    private StoreDaemon(StoreFiles files, Connection own, StoreMark mark, Server server, DaemonEndpoint endpoint,
                        long sizeAtOpen) {
        this.sizeAtOpen = sizeAtOpen;
        this.files = files;
        this.own = own;
        this.mark = mark;
        this.server = server;
        this.endpoint = endpoint;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: StoreDaemon <store path> <idle time, ISO-8601>");
            System.exit(64);
        }
        // Loopback only, however the daemon was started (the launcher passes it too); read by H2 when
        // its first server class loads, which is after this line.
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        System.exit(run(new StoreFiles(Path.of(args[0])), Duration.parse(args[1])));
    }

    static int run(StoreFiles files, Duration idle) {
        try {
            files.createDirectory();
            try (FileChannel ch = StoreFiles.lockFile(files.daemonLock()); FileLock lock = ch.tryLock()) {
                if (lock == null) {
                    log("another daemon serves " + files.base() + "; exiting");
                    return 0;
                }
                // What a killed daemon left: no client may take its port and key for ours while we start.
                Files.deleteIfExists(files.endpoint());
                StoreDaemon daemon;
                try {
                    daemon = open(files);
                } catch (LlmServiceException e) {
                    if (released(e)) {
                        // Not this store's fault: the file is still held or was closed under us while a
                        // daemon before us let it go. The launcher starts the next daemon shortly.
                        log("cannot open " + files.base() + " yet, starting again: " + Sql.oneLine(e.getMessage()));
                        e.printStackTrace();
                        return EXIT_RETRY;
                    }
                    System.err.println(FATAL + Sql.oneLine(e.getMessage()));
                    return 2;
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> daemon.stop("stopped by a signal"),
                        "llm-service-store-daemon-stop"));
                return daemon.serve(idle);
            }
        } catch (IOException | RuntimeException | Error e) {
            System.err.println(FATAL + "cannot run the store daemon for " + files.base() + ": " + Sql.oneLine(e.toString()));
            e.printStackTrace();
            return 2;
        }
    }

    /** Opens, checks and migrates the store, starts the server and publishes its endpoint. */
    static StoreDaemon open(StoreFiles files) throws IOException {
        boolean existed = checkHeader(files.data());
        if (existed) {
            verify(files);
        }
        // Only a missing data file is a new store: an empty one (cut to nothing, a failed copy) where
        // a mark says there was data is refused before H2 writes a new database into it.
        boolean present = Files.exists(files.data());
        if (present && !existed && Files.exists(files.mark())) {
            throw StoreMark.damaged(files, "it is empty, though " + files.mark() + " records that it held data");
        }
        Connection own = connect(files, existed);
        try {
            StoreFiles.makePrivate(files.data());
            StoreCredentials cred = StoreCredentials.read(files).orElseThrow();
            JdbcConnectionPool migrations = JdbcConnectionPool.create(embeddedUrl(files), cred.user(), cred.password());
            try {
                SchemaMigrator.migrate(migrations, files.base());
            } finally {
                migrations.dispose();
            }
            StoreMark mark = StoreMark.check(own, files, present);
            long sizeAtOpen = Files.size(files.data());
            mark.advance(own);
            String key = StoreCredentials.secret();
            // -tcpDaemon: the server's threads never keep the JVM alive once this daemon's main thread ends.
            Server server = Server.createTcpServer("-tcpPort", "0", "-ifExists", "-tcpDaemon", "-tcpPassword",
                    StoreCredentials.secret(), "-key", key, files.base().toString()).start();
            DaemonEndpoint endpoint = DaemonEndpoint.ofThisBuild(ProcessHandle.current().pid(), server.getPort(), key,
                    Instant.now());
            endpoint.write(files.endpoint());
            log("serving " + files.base() + " as " + endpoint);
            return new StoreDaemon(files, own, mark, server, endpoint, sizeAtOpen);
        } catch (SQLException e) {
            close(own);
            throw error(files, "cannot open the telemetry database", e);
        } catch (IOException | RuntimeException e) {
            close(own);
            throw e;
        }
    }

    /**
     * Whether opening failed because of the moment rather than because of the file: H2 found it
     * locked by another process (90020: a daemon before us still letting it go), or, in a file just
     * compacted by the daemon before us, H2 2.5 found one of its own maps closed in the fresh open
     * ({@code MVStoreException: Map null(135) is closed}, reported as 90098 "database closed"; the
     * next open of the same file works). A failure with an I/O error in its causes (a full disk, no
     * permission), a damaged file, a newer schema or a wrong password is final.
     */
    static boolean released(Throwable e) {
        boolean momentary = false;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException || t instanceof java.io.UncheckedIOException) {
                return false;
            }
            if (t instanceof SQLException q && q.getErrorCode() == 90020) {
                momentary = true;
            }
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_CLOSED && m.getCause() == null
                    && String.valueOf(m.getMessage()).startsWith("Map ")) {
                momentary = true; // a map, not the store: a store closed after a failure has that failure as cause
            }
        }
        return momentary;
    }

    private static String embeddedUrl(StoreFiles files) {
        // FILE_LOCK=FS: the OS lock, released when this process dies however it dies.
        // DB_CLOSE_ON_EXIT=FALSE: our shutdown hook closes the database after the last mark, not H2's.
        // WRITE_DELAY=0: a commit reaches the file before it is acknowledged, so it survives kill -9.
        // REUSE_SPACE=FALSE: every chunk is appended, never written over free space in the file. With
        // space reuse, a daemon killed (SIGKILL) while writing left a file that H2 reopened at a state
        // older than commits it had acknowledged and forced to disk — about one kill in fifteen in a
        // loop of kills under writes (StoreMark refused each such file); with appends only, none in
        // fifty. The price: the file grows while a daemon serves it, and is compacted when it stops.
        return "jdbc:h2:file:" + files.base() + ";FILE_LOCK=FS;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                + ";TRACE_LEVEL_FILE=0;LOCK_TIMEOUT=10000;REUSE_SPACE=FALSE";
    }

    /**
     * The daemon's own connection, which keeps the database open. A store made by an older version
     * has an empty password: it gets the credentials file's (made now if there is none).
     */
    private static Connection connect(StoreFiles files, boolean existed) {
        String url = embeddedUrl(files);
        java.util.Optional<StoreCredentials> onFile = StoreCredentials.read(files);
        StoreCredentials cred = onFile.orElseGet(() -> StoreCredentials.create(files));
        try {
            try {
                return java.sql.DriverManager.getConnection(url, cred.user(), cred.password());
            } catch (SQLException e) {
                if (e.getErrorCode() != 28000 || !existed) {
                    throw e;
                }
            }
            // Wrong password: a store from before credentials, or one whose password change did not finish.
            Connection c;
            try {
                c = java.sql.DriverManager.getConnection(url, cred.user(), "");
            } catch (SQLException e) {
                if (e.getErrorCode() == 28000) {
                    throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + files.data()
                            + " has a password that " + files.credentials() + (onFile.isPresent() ? " does not hold"
                            : " is missing") + "; restore that file from where it was backed up with the data, or move "
                            + files.data() + " aside to start a new store", e);
                }
                throw e;
            }
            try (Statement s = c.createStatement()) {
                s.execute("ALTER USER " + cred.user() + " SET PASSWORD '" + cred.password() + "'");
            } catch (SQLException e) {
                // H2 quotes the statement in its message, and so would the password: say only why.
                close(c);
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot set the password of telemetry database "
                        + files.data() + " (H2 error " + e.getErrorCode() + ")");
            }
            return c;
        } catch (SQLException e) {
            throw error(files, "cannot open the telemetry database", e);
        }
    }

    /**
     * Checks an existing data file before anything writes to it: opened read-only, it must be at least
     * as far as {@code <path>.mark} says ({@link StoreMark#verify}) and every row of every table must
     * read back ({@link TableReadThrough}). Read-only, because a read-write open lets H2 write (a new
     * chunk, a rewritten header, Flyway's history) on the chunk it fell back to, and the damaged file
     * would no longer be the file the user can take to a recovery tool.
     *
     * <p>Why every table and not only the ledger: H2 writes each chunk once and keeps the live pages
     * of old chunks where they are, so the newest chunk (the one the mark vouches for) can be whole
     * while pages of older chunks, still live, are damaged. Measured: the last 32 KB of a store of
     * 4,000 records overwritten opened with the right mark and lost records only when they were read.
     * Only reading the pages finds that. It costs one pass over the data each time a daemon starts,
     * which is once per idle period, not once per call.
     */
    private static void verify(StoreFiles files) {
        // LAZY_QUERY_EXECUTION: rows stream from the pages instead of being buffered (or spilled to a temp file).
        String url = "jdbc:h2:file:" + files.base() + ";ACCESS_MODE_DATA=r;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0"
                + ";LAZY_QUERY_EXECUTION=1";
        StoreCredentials cred = StoreCredentials.read(files).orElse(new StoreCredentials(StoreCredentials.USER, ""));
        Connection c;
        try {
            c = readOnly(url, cred);
        } catch (SQLException e) {
            if (e.getErrorCode() == 28000) {
                return; // a password problem, which connect() reports with its own way out
            }
            throw unreadable(files, e);
        }
        String table = "store_mark";
        long[] rows = {0};
        try (c) {
            StoreMark.verify(c, files);
            for (String t : TableReadThrough.tables(c)) {
                table = t.toLowerCase(java.util.Locale.ROOT);
                rows[0] = 0;
                TableReadThrough.read(c, t, rows);
            }
        } catch (SQLException | RuntimeException e) {
            if (e instanceof LlmServiceException l) {
                throw l;
            }
            throw StoreMark.damaged(files, "table " + table + " cannot be read after " + rows[0] + " row(s) ("
                    + Sql.oneLine(e.getMessage()) + ")");
        }
    }

    private static Connection readOnly(String url, StoreCredentials cred) throws SQLException {
        try {
            return java.sql.DriverManager.getConnection(url, cred.user(), cred.password());
        } catch (SQLException e) {
            if (e.getErrorCode() != 28000 || cred.password().isEmpty()) {
                throw e;
            }
            return java.sql.DriverManager.getConnection(url, cred.user(), ""); // a store from before credentials
        }
    }

    /** H2 cannot open the file at all: damaged unless H2 says it is not one of its files. */
    private static LlmServiceException unreadable(StoreFiles files, SQLException e) {
        if (e.getErrorCode() == 90030) { // FILE_CORRUPTED
            return StoreMark.damaged(files, "H2 cannot read it (" + Sql.oneLine(e.getMessage()) + ")");
        }
        if (e.getErrorCode() == 90097) { // DATABASE_IS_READ_ONLY: H2 would have to repair the file to open it
            return StoreMark.damaged(files, "H2 can open it only by rewriting parts of it, which it was not allowed"
                    + " to do; its newest state is incomplete");
        }
        return error(files, "cannot open the telemetry database", e);
    }

    /** Whether the data file holds data; refuses one that is not an H2 2.x file. */
    static boolean checkHeader(Path data) {
        if (!Files.exists(data)) {
            return false;
        }
        byte[] head = new byte[MVSTORE_HEADER.length];
        int n;
        try (InputStream in = Files.newInputStream(data)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read telemetry database " + data + ": "
                    + e + "; it must be readable and writable by the user that runs llm-service", e);
        }
        if (n > 0 && (n < head.length || !Arrays.equals(head, MVSTORE_HEADER))) {
            throw notH2(data, "it does not start with an H2 2.x header");
        }
        return n > 0;
    }

    /** Serves until idle, stopped, or broken; returns the exit status. */
    private int serve(Duration idle) {
        long idleSince = System.nanoTime();
        long lastMark = System.nanoTime();
        long fileWrites = fileWrites();
        while (true) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                stop("interrupted");
                return 0;
            }
            synchronized (this) {
                if (stopped) {
                    return 0;
                }
                if (!Files.exists(files.data())) {
                    stop("its data file " + files.data() + " was deleted");
                    return 0;
                }
                try {
                    long size = Files.size(files.data());
                    if (size - sizeAtOpen > Long.getLong(RECYCLE_PROPERTY, RECYCLE_BYTES)) {
                        // Clients' connections break; they retry on the daemon the next of them starts.
                        stop("its data file reached " + size / (1024 * 1024) + " MB; compacting it");
                        return 0;
                    }
                    if (sessions() > 1) {
                        idleSince = System.nanoTime();
                    } else if (System.nanoTime() - idleSince >= idle.toNanos()) {
                        stop("no client for " + idle.toSeconds() + " s");
                        return 0;
                    }
                    if (System.nanoTime() - lastMark >= MARK_EVERY_MILLIS * 1_000_000) {
                        lastMark = System.nanoTime();
                        long writes = fileWrites();
                        if (writes != fileWrites && Files.exists(files.data())) {
                            marked = mark.advance(own);
                            fileWrites = fileWrites();
                        }
                    }
                } catch (SQLException | IOException | RuntimeException e) {
                    log("the database failed: " + Sql.oneLine(e.toString()) + "; stopping without a final mark");
                    stopped = true;
                    server.stop();
                    deleteEndpoint();
                    // Before the daemon lock is released: the next daemon must find the file closed.
                    close(own);
                    return 3;
                }
            }
        }
    }

    private int sessions() throws SQLException {
        try (Statement s = own.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** H2's count of writes to the data file: unchanged means nothing to mark. */
    private long fileWrites() {
        try (Statement s = own.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'info.FILE_WRITE'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : -1;
        } catch (SQLException | NumberFormatException e) {
            return -1;
        }
    }

    /** Stops serving: no new clients, the last mark, the database closed. Idempotent. */
    synchronized void stop(String why) {
        if (stopped) {
            return;
        }
        stopped = true;
        deleteEndpoint();
        server.stop();
        try {
            // A store whose data file was deleted gets no mark and no compaction: either would put files
            // back into a directory that is being deleted.
            boolean present = Files.exists(files.data());
            if (present) {
                marked = mark.advance(own);
            }
            try (Statement s = own.createStatement()) {
                // Compacted fully: chunks were only appended while serving (REUSE_SPACE=FALSE).
                s.execute(present ? "SHUTDOWN COMPACT" : "SHUTDOWN IMMEDIATELY");
            }
            if (present) {
                // Compaction wrote a new file, with the process umask (the launcher sets 077 where it can).
                StoreFiles.makePrivate(files.data());
            }
            log("stopped (" + why + "); mark " + marked);
        } catch (SQLException | IOException e) {
            log("stopped (" + why + "), but the last mark failed: " + Sql.oneLine(e.toString()));
        }
        close(own);
    }

    private void deleteEndpoint() {
        try {
            // Only our own: a newer daemon may have replaced it already.
            if (DaemonEndpoint.read(files.endpoint()).map(e -> e.pid() == endpoint.pid()).orElse(false)) {
                Files.deleteIfExists(files.endpoint());
            }
        } catch (IOException e) {
            log("cannot delete " + files.endpoint() + ": " + e);
        }
    }

    private static LlmServiceException error(StoreFiles files, String what, SQLException e) {
        int code = e.getErrorCode();
        // 90030 FILE_CORRUPTED, 90048 FILE_VERSION_ERROR
        if (code == 90030 || code == 90048) {
            return notH2(files.data(), Sql.oneLine(e.getMessage()));
        }
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, what + " " + files.data() + ": "
                + Sql.oneLine(e.getMessage()), e);
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // closing after a failure; the failure is what gets reported
        }
    }

    private static void log(String message) {
        System.err.println(Instant.now() + " llm-service store daemon " + ProcessHandle.current().pid() + ": "
                + message);
    }

    /** A file at the store's path that H2 cannot take as a database. */
    static LlmServiceException notH2(Path data, String why) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + data
                + " is not an H2 database or is corrupted (" + why + "); it was left untouched: move it away"
                + " (or restore a backup), or set policies.telemetry.path to another path");
    }

}
