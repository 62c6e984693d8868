package io.llmservice.core.internal.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Looks after the runs whose calling thread is blocked reading the child's output, which it
 * cannot leave by itself: every {@value #TICK_MILLIS} ms it checks each such run's deadline, its
 * calling thread's interrupt flag and its descendants, hands standard error to a pool thread
 * once the run lasts, and after the tool exits kills what keeps its output pipes open.
 *
 * <pre>{@code
 * Watchdog.Watch w = watchdog.watch(tree, Thread.currentThread(), deadline, pipes, err);
 * try { out.drain(); w.drainStderr(); } finally { w.done(); }
 * }</pre>
 *
 * <p>One daemon thread per runner, started with the first watched run and ended after
 * {@value #LINGER_MILLIS} ms without any, so an idle service holds no thread. Killing, draining
 * and descendant scans happen on the runner's pool, never on the watchdog thread, so a tick
 * stays short however many runs there are. Thread-safe.
 */
final class Watchdog {

    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

    static final long TICK_MILLIS = 10;
    private static final long LINGER_MILLIS = 2000;
    /** A run that lasts this long gets a pool thread for standard error (it may fill its pipe). */
    static final Duration STDERR_HANDOFF = Duration.ofMillis(20);

    private final ExecutorService io;
    private final Duration pipeDrainGrace;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean();

    Watchdog(ExecutorService io, Duration pipeDrainGrace) {
        this.io = io;
        this.pipeDrainGrace = pipeDrainGrace;
    }

    /** Starts watching a run whose calling thread is about to read its output. */
    Watch watch(ProcessTree tree, Thread caller, long startNanos, long deadlineNanos, Set<String> pipes,
                StreamCapture stderr) {
        Watch w = new Watch(tree, caller, startNanos, deadlineNanos, pipes, stderr);
        watches.add(w);
        if (!running.get() && running.compareAndSet(false, true)) {
            Thread t = new Thread(this::loop, "llm-service-exec-watchdog");
            t.setDaemon(true);
            t.start();
        }
        return w;
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            if (watches.isEmpty()) {
                if (now - idleSince < TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS)) {
                    continue;
                }
                running.set(false);
                // A run added between the emptiness check and here must not go unwatched.
                if (watches.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
            idleSince = now;
            for (Watch w : watches) {
                try {
                    w.tick(now);
                } catch (RuntimeException e) {
                    LOG.warn("watching pid {} failed", w.tree.pid(), e);
                }
            }
        }
    }

    /** One run being read by its calling thread. */
    final class Watch {
        private final ProcessTree tree;
        private final Thread caller;
        private final long startNanos;
        private final long deadlineNanos;
        private final Set<String> pipes;
        private final StreamCapture stderr;
        private final AtomicBoolean stderrClaimed = new AtomicBoolean();
        private final AtomicBoolean polling = new AtomicBoolean();
        private volatile Future<?> stderrReader;
        private volatile boolean reading = true;
        private volatile long exitSeenNanos;
        private volatile boolean exitSeen;
        // Touched by the watchdog thread only.
        private int poll;
        private long nextPollNanos;
        private boolean rescued;

        private Watch(ProcessTree tree, Thread caller, long startNanos, long deadlineNanos, Set<String> pipes,
                      StreamCapture stderr) {
            this.tree = tree;
            this.caller = caller;
            this.startNanos = startNanos;
            this.deadlineNanos = deadlineNanos;
            this.pipes = pipes;
            this.stderr = stderr;
            this.nextPollNanos = ProcessTree.nextPollNanos(startNanos, 0);
        }

        private void tick(long now) {
            if (!reading) {
                return;
            }
            if (now - deadlineNanos >= 0) {
                tree.requestStop(Termination.TIMED_OUT);
            }
            if (caller.isInterrupted()) {
                tree.requestStop(Termination.INTERRUPTED);
            }
            if (now - startNanos >= STDERR_HANDOFF.toNanos() && stderrClaimed.compareAndSet(false, true)) {
                stderrReader = io.submit(stderr::drain);
            }
            if (tree.process().isAlive()) {
                if (now - nextPollNanos >= 0 && polling.compareAndSet(false, true)) {
                    // A /proc scan takes milliseconds with many processes: on the pool, so that
                    // many long runs cannot delay each other's deadlines on this thread.
                    io.execute(() -> {
                        try {
                            tree.observeDescendants();
                        } finally {
                            polling.set(false);
                        }
                    });
                    nextPollNanos = ProcessTree.nextPollNanos(now, ++poll);
                }
                return;
            }
            if (!exitSeen) {
                exitSeenNanos = now;
                exitSeen = true;
                List<ProcessHandle> leftovers = tree.liveLeftovers();
                if (!leftovers.isEmpty()) {
                    LOG.debug("pid {} exited leaving {} process(es) behind; killing them", tree.pid(), leftovers.size());
                    io.execute(() -> ProcessTree.terminate(leftovers));
                }
            } else if (!rescued && now - exitSeenNanos >= pipeDrainGrace.toNanos()) {
                rescued = true;
                io.execute(this::killPipeHolders);
            }
        }

        private void killPipeHolders() {
            if (!reading) {
                return;
            }
            List<ProcessHandle> holders = PipeHolders.holdersOf(pipes);
            if (holders.isEmpty()) {
                LOG.warn("pid {} exited {} ago but its output pipes are still open and no process holding them "
                        + "can be seen (another user's?); the call waits until they close", tree.pid(), pipeDrainGrace);
                return;
            }
            LOG.warn("pid {} exited but {} unknown process(es) it started still hold its output pipes open "
                    + "(pids {}); killing them", tree.pid(), holders.size(),
                    holders.stream().map(h -> Long.toString(h.pid())).toList());
            ProcessTree.terminate(holders);
        }

        /**
         * Reads standard error to its end on the calling thread, or, when the watchdog handed it
         * to a pool thread, waits for that. Returns false when interrupted meanwhile (the run is
         * then stopped as interrupted).
         */
        boolean drainStderr() {
            if (stderrClaimed.compareAndSet(false, true)) {
                stderr.drain();
                return true;
            }
            boolean interrupted = false;
            while (true) {
                Future<?> reader = stderrReader;
                try {
                    if (reader != null) {
                        reader.get(TICK_MILLIS, TimeUnit.MILLISECONDS);
                        return !interrupted;
                    }
                    Thread.sleep(1); // claimed an instant ago; the future is being published
                } catch (java.util.concurrent.TimeoutException e) {
                    if (exitSeen && System.nanoTime() - exitSeenNanos > 3 * pipeDrainGrace.toNanos()) {
                        LOG.warn("an unknown process started by pid {} still holds its stderr open; "
                                + "returning what was read so far", tree.pid());
                        return !interrupted;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.debug("reading the stderr of pid {} failed", tree.pid(), e.getCause());
                    return !interrupted;
                } catch (InterruptedException e) {
                    interrupted = true;
                    tree.requestStop(Termination.INTERRUPTED);
                }
            }
        }

        /** The calling thread has read both streams (or given up): stop watching. */
        void done() {
            reading = false;
            watches.remove(this);
        }
    }
}
