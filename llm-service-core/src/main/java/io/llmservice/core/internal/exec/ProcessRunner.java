package io.llmservice.core.internal.exec;

import io.llmservice.Ticker;
import io.llmservice.config.OsFamily;
import io.llmservice.spi.CancellationSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one process per {@link #run run} call: no shell, the argument array verbatim, the declared
 * environment only, stdout and stderr drained concurrently with a cap, and the whole process
 * tree killed on timeout, cancellation or interrupt.
 *
 * <pre>{@code
 * ProcessRunner runner = new ProcessRunner(Ticker.system());   // one per adapter
 * ProcessResult r = runner.run(spec, call.cancellation());
 * switch (r.termination()) {
 *     case EXITED -> parse(r.stdoutText());
 *     case TIMED_OUT -> throw new ToolTimeoutException(...);
 *     case CANCELLED, INTERRUPTED -> throw new CallCancelledException(...);
 * }
 * ...
 * runner.killAll();   // from the adapter's close()
 * }</pre>
 *
 * <p>One read path on every OS: two pool threads drain stdout and stderr while the calling
 * thread waits for the exit with {@link Process#waitFor(long, TimeUnit)} in slices, polling the
 * process's descendants between slices and checking the deadline against the {@link Ticker}. A
 * cancellation kills the tree from a pool thread, which ends the wait at once.
 *
 * <p>After the exit, every descendant seen during the run that is still alive is killed
 * (SIGTERM, a grace, SIGKILL; see {@link ProcessTree}) unless the spec says
 * {@link ProcessSpec#leaveDescendants()}. The caller then waits at most
 * {@link #PIPE_DRAIN_GRACE} for both streams to end. A process that left the tree before it was
 * seen (re-parented to init between two polls) may still hold the pipes open: the runner then
 * closes its own ends of the pipes, returns what was read so far and abandons the two drains. A
 * blocked read of a pipe cannot be interrupted in Java, so an abandoned drain thread stays in its
 * read until that process writes again (the read returns, the next one fails on the closed
 * stream, and the pipe's last reader is gone: the writer gets SIGPIPE) or exits; the JDK's
 * reaper thread of that process, which wants the same stream's lock, waits with it. See
 * {@code docs/architecture.md}.
 *
 * <p>Thread-safe: one runner serves any number of concurrent calls. It owns a cached pool of
 * daemon threads (idle ones end after 30 s), so it needs no closing. Logs through slf4j: the
 * executable and pid, never arguments, environment values or stdin (they may hold the prompt or
 * secrets).
 */
public final class ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

    /** After the root exits and its leftovers are killed, how long the drains may take to reach end of stream. */
    static final Duration PIPE_DRAIN_GRACE = Duration.ofMillis(500);

    /** The longest single wait for the exit, so that a ticker that jumps (in tests) is seen. */
    private static final long MAX_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** POSIX PIPE_BUF: a write of at most this many bytes into an empty pipe never blocks. */
    private static final int INLINE_STDIN_BYTES = 4096;

    /** The platform charset the JDK encodes argv and environment with on POSIX systems. */
    private static final Charset ARGV_CHARSET = argvCharset();

    private final Ticker ticker;
    private final ExecutorService io;
    private final Set<ProcessTree> live = ConcurrentHashMap.newKeySet();
    /** Drains still reading, those of finished runs that were abandoned included. */
    private final AtomicInteger drainsRunning = new AtomicInteger();

    /** @param ticker measures the timeout and the elapsed time */
    public ProcessRunner(Ticker ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        AtomicInteger threads = new AtomicInteger();
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "llm-service-exec-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts {@code spec.command()} and waits until it exits, times out, is cancelled or the
     * calling thread is interrupted; in the last three cases the process tree is killed before
     * this returns. An interrupt is reported as {@link Termination#INTERRUPTED} with the thread's
     * interrupt flag set again. When the thread is already interrupted or the signal already
     * cancelled, nothing is started.
     *
     * @throws ProcessStartException when the binary cannot be started (missing, not executable,
     *         bad working directory, argument list too long, text the platform charset cannot encode)
     */
    public ProcessResult run(ProcessSpec spec, CancellationSignal cancellation) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(cancellation, "cancellation");
        long started = ticker.read();
        if (Thread.currentThread().isInterrupted()) {
            return notStarted(Termination.INTERRUPTED, started);
        }
        if (cancellation.isCancelled()) {
            return notStarted(Termination.CANCELLED, started);
        }
        checkEncodable(spec);
        Process process;
        try {
            // Runtime.exec rather than a ProcessBuilder: ProcessBuilder.environment() starts as a
            // copy of the whole JVM environment, made on every call only to be cleared again.
            // Same start, pipes and errors otherwise (exec builds a ProcessBuilder from these).
            process = Runtime.getRuntime().exec(spec.command().toArray(String[]::new), environmentBlock(spec),
                    spec.workingDirectory().map(Path::toFile).orElse(null));
        } catch (IOException e) {
            throw new ProcessStartException(spec.executable(), e);
        }
        ProcessTree tree = new ProcessTree(process);
        live.add(tree);
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debug("started {} as pid {}", spec.executable(), process.pid());
            }
            return supervise(tree, spec, cancellation, started);
        } finally {
            live.remove(tree);
        }
    }

    /**
     * Kills every process tree this runner started that is still running; their {@link #run}
     * calls return {@link Termination#CANCELLED}. Blocks until the trees are gone (at most about
     * one second). Runs started concurrently with this call may escape it.
     */
    public void killAll() {
        List<ProcessTree> trees = new ArrayList<>(live);
        if (trees.isEmpty()) {
            return;
        }
        LOG.info("killing {} running tool process tree(s)", trees.size());
        List<ProcessHandle> targets = new ArrayList<>();
        for (ProcessTree tree : trees) {
            tree.requestStop(Termination.CANCELLED);
            targets.addAll(tree.liveMembers());
        }
        ProcessTree.terminate(targets);
    }

    /** How many drain threads are still reading, abandoned ones included (for tests). */
    int drainsRunning() {
        return drainsRunning.get();
    }

    private ProcessResult supervise(ProcessTree tree, ProcessSpec spec, CancellationSignal cancellation,
                                    long started) {
        Process process = tree.process();
        StreamCapture out = new StreamCapture(process.getInputStream(), spec.maxOutputBytes());
        StreamCapture err = new StreamCapture(process.getErrorStream(), spec.maxOutputBytes());
        // The prompt first: the tool is probably waiting for it.
        writeStdin(process, spec.stdin());
        drainsRunning.addAndGet(2);   // counted from here, so that no reader is missed before it starts
        List<Future<?>> drains = List.of(io.submit(() -> drain(out)), io.submit(() -> drain(err)));

        Termination termination = null;
        AutoCloseable registration = () -> { };
        try {
            // The cancelling thread must not do the killing (it may be a caller's own thread): the pool does.
            registration = cancellation.onCancel(() -> {
                if (tree.requestStop(Termination.CANCELLED)) {
                    io.execute(tree::kill);
                }
            });
            termination = await(tree, started, spec.timeout());
        } catch (InterruptedException e) {
            termination = Termination.INTERRUPTED;
        } catch (RuntimeException e) {
            // A faulty CancellationSignal: classified below, and the tree is killed if still running.
            LOG.debug("the cancellation signal failed for pid {}", tree.pid(), e);
        } finally {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("unregistering the cancellation callback of pid {} failed", tree.pid(), e);
            }
        }
        if (termination == null) {
            termination = afterFaultySignal(tree);
        }
        // Cleared while the tree is killed and the drains awaited, set again below.
        boolean interrupted = Thread.interrupted() || termination == Termination.INTERRUPTED;
        if (termination != Termination.EXITED) {
            LOG.debug("killing the process tree of pid {} ({})", tree.pid(), termination);
            tree.kill();
        } else if (!spec.leaveDescendants()) {
            List<ProcessHandle> leftovers = tree.liveLeftovers();
            if (!leftovers.isEmpty()) {
                LOG.debug("pid {} exited leaving {} process(es) behind; killing them", tree.pid(), leftovers.size());
                ProcessTree.terminate(leftovers);
            }
        }
        interrupted |= Thread.interrupted();
        if (!awaitDrains(drains, tree.pid())) {
            LOG.warn("the output pipes of pid {} are still open {} after it ended (a process that left its tree "
                    + "unseen holds them, or the wait was interrupted); returning the output read so far and "
                    + "closing our ends of the pipes", tree.pid(), PIPE_DRAIN_GRACE);
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
            // Not stdin: a writer still blocked on it holds the stream's lock, so closing it here could
            // block this caller; the writer closes it when its write ends.
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        int exitCode = termination == Termination.EXITED ? process.exitValue() : -1;
        StreamCapture.Snapshot o = out.snapshot();
        StreamCapture.Snapshot e = err.snapshot();
        return new ProcessResult(termination, exitCode, o.bytes(), e.bytes(), o.total(), e.total(),
                o.capped(), e.capped(), elapsedSince(started));
    }

    private void drain(StreamCapture capture) {
        try {
            capture.drain();
        } finally {
            drainsRunning.decrementAndGet();
        }
    }

    /**
     * Waits for exit, a stop request or the deadline ({@code timeout} after {@code started} on the
     * ticker), polling descendants between slices of {@link Process#waitFor(long, TimeUnit)}.
     * A stop request kills the tree, which ends the current slice.
     */
    private Termination await(ProcessTree tree, long started, Duration timeout) throws InterruptedException {
        Process process = tree.process();
        long timeoutNanos = saturatedNanos(timeout);
        int polls = 0;
        long nextPoll = ProcessTree.nextPollNanos(started, 0);
        while (true) {
            Termination stop = tree.stopRequested();
            if (stop != null) {
                return stop;
            }
            long now = ticker.read();
            long remaining = timeoutNanos - (now - started);
            if (remaining <= 0) {
                if (!process.isAlive()) {
                    return Termination.EXITED;
                }
                LOG.debug("pid {} exceeded its timeout of {}", tree.pid(), timeout);
                return Termination.TIMED_OUT;
            }
            if (now - nextPoll >= 0) {
                tree.observeDescendants();
                nextPoll = ProcessTree.nextPollNanos(now, ++polls);
            }
            long slice = Math.max(1, Math.min(Math.min(remaining, nextPoll - now), MAX_SLICE_NANOS));
            if (process.waitFor(slice, TimeUnit.NANOSECONDS)) {
                Termination late = tree.stopRequested();
                return late != null ? late : Termination.EXITED;
            }
        }
    }

    /** After a faulty cancellation signal: classify what happened; a still running tree counts as cancelled. */
    private static Termination afterFaultySignal(ProcessTree tree) {
        Termination stop = tree.stopRequested();
        return stop != null ? stop : tree.process().isAlive() ? Termination.CANCELLED : Termination.EXITED;
    }

    /**
     * Waits at most {@link #PIPE_DRAIN_GRACE} for both drains; false when one is still reading
     * (a process outside the tree holds its pipe). Not interruptible: the caller cleared the flag.
     */
    private static boolean awaitDrains(List<Future<?>> drains, long pid) {
        long deadline = System.nanoTime() + PIPE_DRAIN_GRACE.toNanos();
        for (Future<?> drain : drains) {
            try {
                drain.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                LOG.debug("reading the output of pid {} failed", pid, e.getCause());
            } catch (InterruptedException e) {
                // Interrupted again while waiting: stop waiting, keep the flag for the caller.
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void writeStdin(Process process, Optional<byte[]> stdin) {
        OutputStream os = process.getOutputStream();
        if (stdin.isEmpty() || stdin.get().length == 0) {
            closeQuietly(os);
            return;
        }
        byte[] bytes = stdin.get();
        if (bytes.length <= INLINE_STDIN_BYTES) {
            // Fits in an empty pipe's buffer, so the write cannot block even if the child never
            // reads: no thread hand-off for the common short prompt.
            try (OutputStream stream = os) {
                stream.write(bytes);
            } catch (IOException e) {
                LOG.debug("pid {} did not read all of stdin: {}", process.pid(), e.getMessage());
            }
            return;
        }
        // On its own thread: a child that never reads stdin must not block the caller.
        io.submit(() -> {
            try (OutputStream stream = os) {
                stream.write(bytes);
            } catch (IOException e) {
                // Broken pipe: the child exited or closed stdin without reading it all; not our failure.
                LOG.debug("pid {} did not read all of stdin: {}", process.pid(), e.getMessage());
            }
        });
    }

    private ProcessResult notStarted(Termination termination, long started) {
        return new ProcessResult(termination, -1, new byte[0], new byte[0], 0, 0, false, false, elapsedSince(started));
    }

    private Duration elapsedSince(long started) {
        return Duration.ofNanos(Math.max(0, ticker.read() - started));
    }

    private static void closeQuietly(Closeable pipe) {
        try {
            pipe.close();
        } catch (IOException e) {
            // Closing our end of a pipe can only fail if the child is gone already.
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** The environment as {@code name=value} entries; ProcessSpec has refused names with '=' or NUL. */
    private static String[] environmentBlock(ProcessSpec spec) {
        String[] block = new String[spec.environment().size()];
        int i = 0;
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            block[i++] = e.getKey() + '=' + e.getValue();
        }
        return block;
    }

    /**
     * On POSIX systems the JDK encodes argv and the environment with {@code sun.jnu.encoding};
     * under a non-UTF-8 locale (LANG=C) an emoji would silently become '?'. Refuse instead.
     */
    private static void checkEncodable(ProcessSpec spec) {
        if (ARGV_CHARSET == null || ARGV_CHARSET.equals(StandardCharsets.UTF_8)) {
            return;
        }
        CharsetEncoder encoder = ARGV_CHARSET.newEncoder();
        List<String> command = spec.command();
        for (int i = 0; i < command.size(); i++) {
            if (!encoder.canEncode(command.get(i))) {
                throw new ProcessStartException(spec.executable(), new IOException("argument " + i
                        + " holds characters the platform charset " + ARGV_CHARSET + " cannot represent"),
                        "run the JVM with a UTF-8 locale (e.g. LANG=C.UTF-8) or pass the text on stdin");
            }
        }
        spec.environment().forEach((name, value) -> {
            if (!encoder.canEncode(name) || !encoder.canEncode(value)) {
                throw new ProcessStartException(spec.executable(), new IOException("environment variable " + name
                        + " holds characters the platform charset " + ARGV_CHARSET + " cannot represent"),
                        "run the JVM with a UTF-8 locale (e.g. LANG=C.UTF-8)");
            }
        });
    }

    private static Charset argvCharset() {
        if (Os.current() == OsFamily.WINDOWS) {
            return null; // Windows passes UTF-16 command lines; no lossy encoding step.
        }
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? null : Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
