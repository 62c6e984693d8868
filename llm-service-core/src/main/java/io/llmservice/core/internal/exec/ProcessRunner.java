package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;
import io.llmservice.spi.CancellationSignal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * ProcessRunner runner = new ProcessRunner(Clock.systemUTC());   // one per LlmService
 * ProcessResult r = runner.run(spec, call.cancellation());
 * switch (r.termination()) {
 *     case EXITED -> parse(r.stdoutText());
 *     case TIMED_OUT -> throw new ToolTimeoutException(...);
 *     case CANCELLED, INTERRUPTED -> throw new CallCancelledException(...);
 * }
 * ...
 * runner.killAll();   // from LlmService.close()
 * }</pre>
 *
 * <p>Reading the output: on Linux the calling thread reads stdout itself and then stderr, so a
 * tool that simply prints and exits costs no thread hand-off; a {@link Watchdog} thread meanwhile
 * enforces the deadline and interrupts, polls descendants, gives stderr to a pool thread once the
 * run lasts 20 ms (the child might fill that pipe while stdout is read), and, should the pipes
 * stay open after the tool exited, finds the processes holding them through {@code /proc}
 * ({@link PipeHolders}) and kills them. Where that is not possible (no {@code /proc}, or a tool
 * gone before its pipes could be identified) two pool threads drain the streams while the
 * calling thread waits for the exit, and a pipe held open by an unknown process is given up
 * after one second, with a warning (one pool thread then stays blocked until that process exits).
 * Only the calling thread's reads show the output to an {@link OutputListener} before the run ends.
 *
 * <p>Killing a tree: the descendants of the root are collected while it is alive (and polled
 * while it runs, because a grandchild whose parent exits is re-parented and cannot be found from
 * the root any more), all get SIGTERM ({@link ProcessHandle#destroy()}), then after a grace of
 * 500 ms whatever is left gets SIGKILL. After a normal exit, descendants seen during the run
 * that are still alive are killed the same way. A grandchild started and orphaned between two
 * polls cannot be found from the tree (Java has no process groups or sub-reapers); it is found
 * only if it holds the output pipes, as above. For the same reason a child forked in the instant
 * between the last descendant scan and the signal that kills its parent can escape.
 *
 * <p>Thread-safe: one runner serves any number of concurrent calls. It owns a cached pool of
 * daemon threads (idle ones end after 30 s) and a watchdog thread that ends 2 s after the last
 * run, so it needs no closing. Logs through slf4j: the executable and pid, never arguments,
 * environment values or stdin (they may hold the prompt or secrets).
 */
public final class ProcessRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

    /** After the root exits, how long the pipe readers may take to reach end of stream. */
    static final Duration PIPE_DRAIN_GRACE = Duration.ofSeconds(1);

    /** How long a stop request (cancel, killAll) may wait to be noticed by the supervising thread. */
    private static final long STOP_SLICE_MILLIS = 10;
    /** POSIX PIPE_BUF: a write of at most this many bytes into an empty pipe never blocks. */
    private static final int INLINE_STDIN_BYTES = 4096;

    /** The platform charset the JDK encodes argv and environment with on POSIX systems. */
    private static final Charset ARGV_CHARSET = argvCharset();

    private final Clock clock;
    private final ExecutorService io;
    private final Watchdog watchdog;

    private final boolean readOnCallingThread;
    private final Set<ProcessTree> live = ConcurrentHashMap.newKeySet();

    public ProcessRunner(Clock clock) {
        this(clock, true);
    }

    /**
     * @param readOnCallingThread whether to read the output on the calling thread where the OS
     *        allows (Linux); false always drains it on pool threads (both ways are tested)
     */
    ProcessRunner(Clock clock, boolean readOnCallingThread) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.readOnCallingThread = readOnCallingThread && PipeHolders.available();
        AtomicInteger threads = new AtomicInteger();
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "llm-service-exec-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watchdog = new Watchdog(io, PIPE_DRAIN_GRACE);
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
        return run(spec, cancellation, OutputListener.NONE);
    }

    /**
     * As {@link #run(ProcessSpec, CancellationSignal)}, and shows the listener the output while
     * it is read: stdout whenever the tool pauses writing it, then the complete stdout once both
     * streams have ended, before the exit is delivered — so work on the output (parsing it)
     * overlaps the tool's exit instead of following it. See {@link OutputListener} for when it is
     * called and what it must not do.
     */
    public ProcessResult run(ProcessSpec spec, CancellationSignal cancellation, OutputListener listener) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(listener, "listener");
        Instant started = clock.instant();
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
        long startNanos = System.nanoTime();
        // The prompt first: the tool is probably waiting for it, and every microsecond here delays it.
        writeStdin(process, spec.stdin());
        // Who keeps the output pipes open is only knowable while the child lives: look right away.
        // A tool gone already, one whose stdout or stderr is not a pipe at this instant (a shell
        // script in the middle of a redirection), or no /proc: the pooled drain, which needs no identity.
        Optional<Set<String>> pipes = readOnCallingThread ? PipeHolders.outputPipesOf(process.pid()) : Optional.empty();
        ProcessTree tree = pipes.isPresent()
                // The calling thread may be blocked in a read: a stop request kills the tree from the pool.
                ? new ProcessTree(process, stopped -> io.execute(stopped::kill))
                // The calling thread waits in short slices and kills the tree itself.
                : new ProcessTree(process, stopped -> { });
        live.add(tree);
        try {
            if (LOG.isDebugEnabled()) {
                LOG.debug("started {} as pid {}", spec.executable(), process.pid());
            }
            return supervise(tree, spec, cancellation, started, startNanos, pipes, listener);
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

    /**
     * Two ways to read the output, with the same results. On Linux the calling thread reads
     * stdout itself, then stderr (a pool thread takes stderr over if the run lasts, since the
     * child could fill that pipe meanwhile), and the {@link Watchdog} enforces the deadline,
     * interrupts and cancellation by killing the tree, which ends the reads: a tool that simply
     * exits costs no thread hand-off. Where a pipe's holders cannot be found (no {@code /proc}),
     * two pool threads drain the streams while the calling thread waits for the exit.
     */
    private ProcessResult supervise(ProcessTree tree, ProcessSpec spec, CancellationSignal cancellation,
                                    Instant started, long startNanos, Optional<Set<String>> pipes,
                                    OutputListener listener) {
        Process process = tree.process();
        StreamCapture out = new StreamCapture(process.getInputStream(), spec.maxOutputBytes());
        StreamCapture err = new StreamCapture(process.getErrorStream(), spec.maxOutputBytes());
        List<Future<?>> readers = pipes.isPresent() ? List.of()
                : List.of(io.submit(out::drain), io.submit(err::drain));

        Termination termination = null;
        boolean interrupted = false;
        StreamCapture.Snapshot stdout = null;
        Calls calls = new Calls(listener, tree);
        AutoCloseable registration = () -> { };
        try {
            registration = cancellation.onCancel(() -> tree.requestStop(Termination.CANCELLED));
            if (pipes.isPresent()) {
                Watchdog.Watch watch = watchdog.watch(tree, Thread.currentThread(), startNanos,
                        startNanos + saturatedNanos(spec.timeout()), pipes.get(), err);
                try {
                    // The listener may parse an answer while the tool is still exiting: this
                    // thread is then busy, not asleep, when the end of the stream arrives.
                    out.drainWithPauses(listener == OutputListener.NONE ? null : calls::paused);
                    interrupted = !watch.drainStderr();
                } finally {
                    watch.done();
                }
                if (!interrupted && tree.stopRequested() == null) {
                    stdout = out.snapshot();   // final: stdout is at its end
                    calls.complete(stdout.bytes());
                }
            }
            termination = await(tree, startNanos, spec.timeout());
        } catch (InterruptedException e) {
            interrupted = true;
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
            termination = await(tree);
        }
        if (termination != Termination.EXITED) {
            LOG.debug("killing the process tree of pid {} ({})", tree.pid(), termination);
            tree.kill();
        } else {
            List<ProcessHandle> leftovers = tree.liveLeftovers();
            if (!leftovers.isEmpty()) {
                LOG.debug("pid {} exited leaving {} process(es) behind; killing them", tree.pid(), leftovers.size());
                ProcessTree.terminate(leftovers);
            }
        }
        interrupted |= Thread.interrupted();
        if (!readers.isEmpty()) {
            interrupted |= !awaitReaders(readers, tree.pid());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        calls.rethrow();   // after the tree is reaped and cleaned up, as without a listener
        int exitCode = termination == Termination.EXITED ? process.exitValue() : -1;
        StreamCapture.Snapshot o = stdout != null ? stdout : out.snapshot();
        StreamCapture.Snapshot e = err.snapshot();
        Duration elapsed = Duration.between(started, clock.instant());
        if (elapsed.isNegative()) {
            elapsed = Duration.ZERO;
        }
        return new ProcessResult(termination, exitCode, o.bytes(), e.bytes(), o.total(), e.total(),
                o.capped(), e.capped(), elapsed);
    }

    /**
     * Calls the listener of one run: not once a stop was requested; a runtime exception is logged
     * and ignored; the first error is kept to be rethrown once the run is cleaned up, and after it
     * nothing more is called.
     */
    private static final class Calls {
        private final OutputListener listener;
        private final ProcessTree tree;
        private Error error;

        Calls(OutputListener listener, ProcessTree tree) {
            this.listener = listener;
            this.tree = tree;
        }

        void paused(byte[] soFar) {
            call(soFar, false);
        }

        void complete(byte[] stdout) {
            call(stdout, true);
        }

        private void call(byte[] bytes, boolean complete) {
            if (error != null || tree.stopRequested() != null) {
                return;
            }
            try {
                if (complete) {
                    listener.complete(bytes);
                } else {
                    listener.paused(bytes);
                }
            } catch (RuntimeException e) {
                LOG.debug("the output listener of pid {} failed", tree.pid(), e);
            } catch (Error e) {
                error = e;
            }
        }

        void rethrow() {
            if (error != null) {
                throw error;
            }
        }
    }

    /**
     * Waits for exit, a stop request or the deadline ({@code timeout} after {@code start}),
     * polling descendants meanwhile.
     *
     * <p>Why {@link Process#waitFor(long, TimeUnit)} in short slices rather than waiting on
     * {@link Process#onExit()}: the JDK's reaper thread wakes {@code waitFor} directly, while
     * {@code onExit()} completes through the common pool — a hand-off that costs 150–200 µs on
     * every call (see docs/benchmarks.md). A stop request is seen at the next slice, within
     * {@value #STOP_SLICE_MILLIS} ms.
     */
    private static Termination await(ProcessTree tree, long start, Duration timeout) throws InterruptedException {
        Process process = tree.process();
        long timeoutNanos = saturatedNanos(timeout);
        int poll = 0;
        long nextPoll = ProcessTree.nextPollNanos(start, 0);
        while (true) {
            Termination stop = tree.stopRequested();
            if (stop != null) {
                return stop;
            }
            long now = System.nanoTime();
            long remaining = timeoutNanos - (now - start);
            if (remaining <= 0) {
                if (!process.isAlive()) {
                    return Termination.EXITED;
                }
                LOG.debug("pid {} exceeded its timeout of {}", tree.pid(), timeout);
                return Termination.TIMED_OUT;
            }
            if (now - nextPoll >= 0) {
                tree.observeDescendants();
                nextPoll = ProcessTree.nextPollNanos(now, ++poll);
            }
            long slice = Math.min(Math.min(remaining, nextPoll - now), TimeUnit.MILLISECONDS.toNanos(STOP_SLICE_MILLIS));
            if (process.waitFor(Math.max(slice, 1), TimeUnit.NANOSECONDS)) {
                Termination late = tree.stopRequested();
                return late != null ? late : Termination.EXITED;
            }
        }
    }

    /** After a faulty cancellation signal: classify what happened; a still running tree counts as cancelled. */
    private static Termination await(ProcessTree tree) {
        Termination stop = tree.stopRequested();
        return stop != null ? stop : tree.process().isAlive() ? Termination.CANCELLED : Termination.EXITED;
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

    /** Waits a bounded time for both readers; false when interrupted while waiting. */
    private static boolean awaitReaders(List<Future<?>> readers, long pid) {
        long deadline = System.nanoTime() + PIPE_DRAIN_GRACE.toNanos();
        for (Future<?> reader : readers) {
            try {
                reader.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                LOG.warn("an unknown process started by pid {} still holds its output pipe open after it exited; "
                        + "returning the output read so far", pid);
                return true;
            } catch (ExecutionException e) {
                LOG.debug("reading the output of pid {} failed", pid, e.getCause());
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }

    private ProcessResult notStarted(Termination termination, Instant started) {
        Duration elapsed = Duration.between(started, clock.instant());
        return new ProcessResult(termination, -1, new byte[0], new byte[0], 0, 0, false, false,
                elapsed.isNegative() ? Duration.ZERO : elapsed);
    }

    private static void closeQuietly(OutputStream os) {
        try {
            os.close();
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
