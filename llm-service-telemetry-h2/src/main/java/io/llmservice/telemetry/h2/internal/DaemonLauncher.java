package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The client side of the store daemon: finds the daemon serving a store, or starts one.
 *
 * <p>A daemon is alive exactly while it holds the lock on {@code <path>.daemon.lock} (the OS drops
 * the lock when the process dies, however it dies), so a left-over {@code <path>.daemon} of a killed
 * daemon is recognised as stale without trusting its process id. Clients that find no live daemon
 * take {@code <path>.start.lock} in turn; the first starts one and waits for its endpoint, the others
 * then find it. A daemon of another build (protocol, H2 or schema version) is asked to stop
 * (SIGTERM) and replaced.
 *
 * <p>The daemon runs on this JVM's {@code java} with this JVM's class path (and module path), in its
 * own session when {@code setsid} is there, so a Ctrl-C in the terminal that started it does not
 * stop it. Its output goes to {@code <path>.daemon.log}.
 *
 * <p>Stateless; thread-safe.
 */
final class DaemonLauncher {
    /** System property: how long a daemon stays without clients, ISO-8601 or e.g. {@code 90s}; default 5 minutes. */
    static final String IDLE_PROPERTY = "llmservice.store.idleTimeout";
    static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);
    private static final long START_WAIT_NANOS = Duration.ofSeconds(60).toNanos();
    /**
     * File locks belong to the whole JVM: a second lock on the same file from another thread throws
     * instead of waiting. So this JVM's threads take them one at a time.
     */
    private static final Object FILE_LOCKS = new Object();

    private DaemonLauncher() {
    }

    /** The endpoint of the live daemon of this build serving {@code files}, started if needed. */
    static DaemonEndpoint ensure(StoreFiles files) {
        files.createDirectory();
        long deadline = System.nanoTime() + START_WAIT_NANOS;
        for (int round = 1; ; round++) {
            Optional<DaemonEndpoint> live = liveEndpoint(files);
            if (live.isPresent()) {
                return live.get();
            }
            try {
                synchronized (FILE_LOCKS) {
                    try (FileChannel ch = StoreFiles.lockFile(files.startLock()); FileLock ignored = ch.lock()) {
                        live = liveEndpoint(files);
                        if (live.isPresent()) {
                            return live.get();
                        }
                        if (!daemonAlive(files)) {
                            Optional<DaemonEndpoint> started = start(files, deadline);
                            if (started.isPresent()) {
                                return started.get();
                            }
                            // The file was not free yet (StoreDaemon.EXIT_RETRY): start again after a pause.
                        }
                    }
                }
            } catch (IOException e) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot start the store daemon for "
                        + files.base() + ": " + e, e);
            }
            // A daemon holds the store but has published no endpoint of ours: it is starting, stopping,
            // or of another build (asked to stop by liveEndpoint). Wait for it.
            if (System.nanoTime() > deadline) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the store daemon of " + files.base()
                        + " did not become ready in 60 s; see " + files.log() + ", or stop it with `llm-service"
                        + " daemon stop`");
            }
            pause(round);
        }
    }

    /** The published endpoint when a daemon of this build holds the store; asks one of another build to stop. */
    private static Optional<DaemonEndpoint> liveEndpoint(StoreFiles files) {
        Optional<DaemonEndpoint> e = DaemonEndpoint.read(files.endpoint());
        if (e.isEmpty() || !daemonAlive(files) || ProcessHandle.of(e.get().pid()).isEmpty()) {
            return Optional.empty();
        }
        if (!e.get().compatibleWithThisBuild()) {
            ProcessHandle.of(e.get().pid()).ifPresent(ProcessHandle::destroy);
            return Optional.empty();
        }
        return e;
    }

    /** Whether some daemon holds {@code <path>.daemon.lock}. */
    static boolean daemonAlive(StoreFiles files) {
        if (!Files.exists(files.daemonLock())) {
            return false;
        }
        synchronized (FILE_LOCKS) {
            try (RandomAccessFile f = new RandomAccessFile(files.daemonLock().toFile(), "rw");
                 FileLock lock = f.getChannel().tryLock()) {
                return lock == null;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * Starts a daemon (the caller holds the start lock) and waits until it publishes its endpoint;
     * empty when it could not open the file yet ({@link StoreDaemon#EXIT_RETRY}), as while a daemon
     * before it is still letting the file go.
     */
    private static Optional<DaemonEndpoint> start(StoreFiles files, long deadline) throws IOException {
        long logStart = Files.exists(files.log()) ? Files.size(files.log()) : 0;
        java.time.Instant spawned = java.time.Instant.now();
        Process p = new ProcessBuilder(command(files))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()))
                .start();
        p.getOutputStream().close();
        StoreFiles.makePrivate(files.log());
        for (int round = 1; ; round++) {
            Optional<DaemonEndpoint> e = DaemonEndpoint.read(files.endpoint());
            // Not the endpoint a dead daemon left behind: the one written after this start.
            if (e.isPresent() && e.get().compatibleWithThisBuild() && !e.get().started().isBefore(spawned)
                    && daemonAlive(files) && ProcessHandle.of(e.get().pid()).isPresent()) {
                return e;
            }
            if (!p.isAlive() && p.exitValue() == StoreDaemon.EXIT_RETRY) {
                if (System.nanoTime() > deadline) {
                    throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the store daemon for " + files.base()
                            + " could not open it in 60 s: another process holds it or it closed while being"
                            + " opened; see " + files.log());
                }
                return Optional.empty();
            }
            if (!p.isAlive() && !setsidParentOnly(p, files)) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, failure(files, logStart, p.exitValue()));
            }
            if (System.nanoTime() > deadline) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the store daemon for " + files.base()
                        + " did not start in 60 s; see " + files.log());
            }
            pause(round);
        }
    }

    /** {@code setsid} exits at once when it forks; the daemon itself may still be starting. */
    private static boolean setsidParentOnly(Process p, StoreFiles files) {
        return p.exitValue() == 0 && daemonAlive(files);
    }

    /** The daemon's own reason when it wrote one, else a pointer to its log. */
    private static String failure(StoreFiles files, long logStart, int status) throws IOException {
        String fatal = null;
        if (Files.exists(files.log())) {
            try (RandomAccessFile f = new RandomAccessFile(files.log().toFile(), "r")) {
                f.seek(Math.min(logStart, f.length()));
                byte[] rest = new byte[(int) Math.min(1 << 20, f.length() - f.getFilePointer())];
                f.readFully(rest);
                for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith(StoreDaemon.FATAL)) {
                        fatal = line.substring(StoreDaemon.FATAL.length());
                    }
                }
            }
        }
        return fatal != null ? fatal : "the store daemon for " + files.base() + " exited with status " + status
                + " before it was ready; see " + files.log();
    }

    private static List<String> command(StoreFiles files) {
        List<String> cmd = new ArrayList<>();
        Path setsid = Path.of("/usr/bin/setsid");
        if (Files.isExecutable(setsid)) {
            // Its own session: a Ctrl-C or a closed terminal of the process that started it is not its end.
            cmd.add(setsid.toString());
        }
        Path sh = Path.of("/bin/sh");
        if (Files.isExecutable(sh)) {
            // umask 077: every file the daemon and H2 create (a compacted data file, temporary files, the
            // log) is private from the start; INT and HUP ignored (inherited by the JVM, which then
            // installs no handler for them) where there is no setsid, as on macOS.
            cmd.addAll(List.of(sh.toString(), "-c", "umask 077 && trap '' INT HUP && exec \"$0\" \"$@\""));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-Dh2.bindAddress=127.0.0.1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        String recycle = System.getProperty(StoreDaemon.RECYCLE_PROPERTY);
        if (recycle != null && recycle.matches("[0-9]+")) {
            cmd.add("-D" + StoreDaemon.RECYCLE_PROPERTY + "=" + recycle);
        }
        String modulePath = System.getProperty("jdk.module.path");
        String classPath = classPath();
        if (modulePath != null && !modulePath.isEmpty() && StoreDaemon.class.getModule().isNamed()) {
            cmd.addAll(List.of("--module-path", modulePath));
            if (!classPath.isEmpty()) {
                cmd.addAll(List.of("-cp", classPath));
            }
            cmd.addAll(List.of("-m", StoreDaemon.class.getModule().getName() + "/" + StoreDaemon.class.getName()));
        } else {
            cmd.addAll(List.of("-cp", classPath, StoreDaemon.class.getName()));
        }
        cmd.add(files.base().toString());
        cmd.add(idle().toString());
        return cmd;
    }

    /**
     * The class path the daemon needs: this JVM's, plus what the class loaders that loaded this
     * module see when they are URL class loaders (Maven's {@code exec:java}, application servers),
     * for a store opened from code that the application class path does not hold.
     */
    static String classPath() {
        java.util.Set<String> entries = new java.util.LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(e);
            }
        }
        for (ClassLoader l = StoreDaemon.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof java.net.URLClassLoader u) {
                for (java.net.URL url : u.getURLs()) {
                    if (url.getProtocol().equals("file")) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                            // not a plain file: a plain JVM could not use it either
                        }
                    }
                }
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    static Duration idle() {
        String v = System.getProperty(IDLE_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_IDLE;
        }
        try {
            String s = v.strip();
            return s.matches("[0-9]+s") ? Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)))
                    : Duration.parse(s);
        } catch (RuntimeException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "system property " + IDLE_PROPERTY + "='" + v
                    + "' is not a duration (e.g. 90s or PT5M)");
        }
    }

    /** Asks the daemon serving {@code files} to stop and waits up to {@code wait}; false when it is still there. */
    static boolean stop(StoreFiles files, Duration wait) {
        Optional<DaemonEndpoint> e = DaemonEndpoint.read(files.endpoint());
        if (!daemonAlive(files)) {
            return true;
        }
        e.flatMap(x -> ProcessHandle.of(x.pid())).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + wait.toNanos();
        for (int round = 1; daemonAlive(files); round++) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(round);
        }
        return true;
    }

    private static void pause(int round) {
        try {
            // Jittered, so clients that raced do not retry in step.
            Thread.sleep(Math.min(100, 5L * round) + ThreadLocalRandom.current().nextLong(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmServiceException(ErrorCode.CANCELLED, "interrupted while waiting for the store daemon", e);
        }
    }
}
