package io.llmservice.core.internal.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One started process and every descendant seen while it ran. Descendants are remembered
 * because a grandchild whose parent dies is re-parented (to init or a sub-reaper) and can no
 * longer be found from the root; the runner polls {@link #observeDescendants()} while it waits.
 *
 * <p>What cannot be reached: Java has neither process groups nor sub-reapers, so a process that
 * was started and orphaned between two polls (its parent exited before a poll saw it), or
 * started in the instant between the last poll and the root's own exit, is no longer part of any
 * tree this class can see, and is neither killed at the exit nor on timeout.
 *
 * <p>Thread-safe: the supervising thread, a cancelling thread and {@link ProcessRunner#killAll()}
 * may act on one tree concurrently; killing is idempotent.
 */
final class ProcessTree {

    /** How long processes get to exit after SIGTERM before they are killed hard. */
    static final Duration TERM_GRACE = Duration.ofMillis(500);

    /** How long to wait for the kernel to finish off processes after SIGKILL. */
    private static final Duration KILL_WAIT = Duration.ofMillis(500);

    private static final long EXIT_POLL_MILLIS = 10;

    /** Delays between descendant polls: quick at first (tools spawn helpers early), then steady. */
    private static final long[] POLL_DELAYS_MILLIS = {20, 50, 100};
    private static final long POLL_STEADY_MILLIS = 250;

    private final Process process;
    private final Set<ProcessHandle> descendants = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Termination> stopRequest = new AtomicReference<>();

    ProcessTree(Process process) {
        this.process = process;
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** Records the root's current descendants; a no-op once the root has exited. */
    void observeDescendants() {
        if (process.isAlive()) {
            process.descendants().forEach(descendants::add);
        }
    }

    /** When the descendant poll after {@code pollsDone} polls is due, {@code from} the previous one (or the start). */
    static long nextPollNanos(long from, int pollsDone) {
        return from + TimeUnit.MILLISECONDS.toNanos(
                pollsDone < POLL_DELAYS_MILLIS.length ? POLL_DELAYS_MILLIS[pollsDone] : POLL_STEADY_MILLIS);
    }

    /** Records that the run is to stop with {@code reason}; the first request wins, and only it returns true. */
    boolean requestStop(Termination reason) {
        return stopRequest.compareAndSet(null, reason);
    }

    /** The reason of the first stop request, or null. */
    Termination stopRequested() {
        return stopRequest.get();
    }

    /** Descendants seen while the root ran that are still alive, with their own live descendants. */
    List<ProcessHandle> liveLeftovers() {
        Set<ProcessHandle> result = new LinkedHashSet<>();
        for (ProcessHandle handle : descendants) {
            if (isRunning(handle)) {
                result.add(handle);
                handle.descendants().forEach(result::add);
            }
        }
        return new ArrayList<>(result);
    }

    /** Every process of this tree that is alive now: root, its descendants and leftovers. */
    List<ProcessHandle> liveMembers() {
        observeDescendants();
        List<ProcessHandle> members = new ArrayList<>();
        if (process.isAlive()) {
            members.add(process.toHandle());
        }
        members.addAll(liveLeftovers());
        return members;
    }

    /** Kills this tree: SIGTERM, {@link #TERM_GRACE}, then SIGKILL for what is left. */
    void kill() {
        terminate(liveMembers());
        try {
            // The root is our child: wait until the JDK has reaped it, so its exit is observable.
            process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM to every target, a grace period that ends early once all have exited, then SIGKILL
     * to whatever is left (and to anything they spawned meanwhile). Never throws; restores the
     * interrupt flag if interrupted while waiting (and then skips the rest of the grace period).
     */
    static void terminate(Collection<ProcessHandle> targets) {
        if (targets.isEmpty()) {
            return;
        }
        // Collect the whole subtree before signalling: once a parent dies, its children are re-parented.
        Set<ProcessHandle> all = new LinkedHashSet<>(targets);
        for (ProcessHandle target : targets) {
            target.descendants().forEach(all::add);
        }
        all.forEach(ProcessHandle::destroy);
        boolean interrupted = !awaitExit(all, TERM_GRACE);
        Set<ProcessHandle> survivors = new LinkedHashSet<>();
        for (ProcessHandle handle : all) {
            if (isRunning(handle)) {
                survivors.add(handle);
                handle.descendants().forEach(survivors::add);
            }
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        if (!interrupted && !survivors.isEmpty()) {
            interrupted = !awaitExit(survivors, KILL_WAIT);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether a process is alive and not a zombie. {@link ProcessHandle#isAlive()} is true for a
     * zombie, and an orphan's zombie lingers until init reaps it, which some container inits do
     * only lazily; a zombie holds no pipes and runs no code, so for killing it counts as gone.
     */
    static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(handle.pid()), "stat");
        try {
            String line = Files.readString(stat, StandardCharsets.ISO_8859_1);
            // "pid (comm) S ...": comm may contain spaces and parentheses, so look after the last ')'.
            int close = line.lastIndexOf(')');
            return close < 0 || close + 2 >= line.length() || line.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            // No /proc (macOS, Windows) or the process vanished meanwhile: trust isAlive().
            return handle.isAlive();
        }
    }

    /** Polls until every handle has exited or {@code limit} passed; false when interrupted. */
    private static boolean awaitExit(Collection<ProcessHandle> handles, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (handles.stream().anyMatch(ProcessTree::isRunning)) {
            if (System.nanoTime() - deadline >= 0) {
                return true;
            }
            try {
                // Grandchildren are not our children, so onExit() would poll at 300 ms or more; poll faster.
                Thread.sleep(EXIT_POLL_MILLIS);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }
}
