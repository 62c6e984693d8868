package io.llmservice.core.internal.pipeline;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The settles and releases of one service that failed (its store could not be reached), retried in
 * the background until they land. The ledger is idempotent by reservation id, so a retry never
 * charges twice, and it accepts a late settle after an expiry charge (the actual cost replaces the
 * charge), so a settle is retried until it lands or the service closes, not only until its
 * reservation expires. Without the retries a settle lost in an outage would leave its reservation
 * to be charged at expiry — at the reserved amount when the invocation record was lost too, which
 * under-counts a call that cost more than it reserved.
 *
 * <pre>{@code
 * try {
 *     reservation.settle(actual);
 *     pending.succeeded();
 * } catch (RuntimeException e) {
 *     pending.retry("settle", "team-monthly", () -> reservation.settle(actual), e);
 * }
 * }</pre>
 *
 * <p>Retries run on one daemon thread, started at the first failure, each after a delay that doubles
 * from {@code firstDelay} up to {@link #MAX_DELAY}. A failure is logged at WARN once per outage (then
 * at DEBUG), and the store's return at INFO. {@link #close()} makes one last try for each pending
 * one, bounded by {@code closeBound} in all; what is left then is charged at expiry, at the cost
 * its invocation record shows.
 *
 * <p>Thread-safe. Closed once, by the service, after its calls ended and before its store closes.
 */
public final class PendingSettlements implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingSettlements.class);
    /** The first retry's delay; then doubled for each failure of the same settle. */
    public static final Duration FIRST_DELAY = Duration.ofMillis(500);
    /** The longest delay between two tries of one settle. */
    public static final Duration MAX_DELAY = Duration.ofSeconds(30);
    /** How long {@link #close()} tries the pending ones, in all. */
    public static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final String storeName;
    private final Duration firstDelay;
    private final Duration closeBound;
    private final OutageGate outage = new OutageGate();
    private final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    /** Guards {@link #scheduler} and {@link #closed}. */
    private final Object lock = new Object();
    private ScheduledThreadPoolExecutor scheduler;
    private boolean closed;

    /** @param storeName the store, for messages: its type and URL or path (never a password) */
    public PendingSettlements(String storeName) {
        this(storeName, FIRST_DELAY, CLOSE_BOUND);
    }

    public PendingSettlements(String storeName, Duration firstDelay, Duration closeBound) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.firstDelay = Objects.requireNonNull(firstDelay, "firstDelay");
        this.closeBound = Objects.requireNonNull(closeBound, "closeBound");
        if (firstDelay.isNegative() || firstDelay.isZero() || closeBound.isNegative()) {
            throw new IllegalArgumentException("firstDelay must be > 0 and closeBound >= 0, were " + firstDelay
                    + " and " + closeBound);
        }
    }

    /** One settle or release still to land. */
    private final class Pending {
        final String what;
        final String budget;
        final Runnable action;
        final AtomicBoolean landed = new AtomicBoolean();
        /** Confined to the scheduler's thread. */
        long delayNanos = firstDelay.toNanos();
        int tries = 1;

        Pending(String what, String budget, Runnable action) {
            this.what = what;
            this.budget = budget;
            this.action = action;
        }

        /** One try; true when it landed (or had already). */
        boolean attempt() {
            if (landed.get()) {
                return true;
            }
            try {
                action.run();
            } catch (RuntimeException e) {
                tries++;
                LOG.debug("retrying to {} the reservation in budget {} failed (try {}): {}", what, budget, tries,
                        e.toString());
                return false;
            }
            landed.set(true);
            pending.remove(this);
            LOG.debug("the {} of a reservation in budget {} landed on try {}", what, budget, tries);
            succeeded();
            return true;
        }
    }

    /** Notes a settle or release that landed: ends an outage, if one was logged. */
    public void succeeded() {
        if (outage.succeeded()) {
            LOG.info("the telemetry store ({}) settles reservations again; {} failed settle(s) or release(s) still"
                    + " being retried", storeName, pending.size());
        }
    }

    /**
     * Keeps a settle or release that failed with {@code failure} and retries {@code action} in the
     * background until it returns. {@code action} must be idempotent (the ledger's are, by reservation
     * id). After {@link #close()}, the failure is only logged: the reservation is charged at expiry.
     */
    public void retry(String what, String budget, Runnable action, RuntimeException failure) {
        Pending p = new Pending(what, budget, action);
        boolean kept;
        synchronized (lock) {
            kept = !closed;
            if (kept) {
                pending.add(p);
                schedule(p);
            }
        }
        String message = "could not " + what + " the reservation in budget " + budget + " in the telemetry store ("
                + storeName + ")" + (kept
                ? "; retried in the background until it lands (idempotently: it is never charged twice): "
                : "; the service is closed, so it expires and is then charged at the cost its invocation record"
                        + " shows: ")
                + failure;
        if (outage.failed()) {
            LOG.warn("{} (further failures are logged at DEBUG until a settle succeeds)", message);
        } else {
            LOG.debug(message);
        }
    }

    /** How many settles and releases are waiting to be retried. */
    public int size() {
        return pending.size();
    }

    /** Under {@link #lock}, not closed. */
    private void schedule(Pending p) {
        if (scheduler == null) {
            scheduler = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "llm-service-settle-retry");
                t.setDaemon(true);
                return t;
            });
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.setRemoveOnCancelPolicy(true);
        }
        scheduler.schedule(() -> retryLater(p), p.delayNanos, TimeUnit.NANOSECONDS);
    }

    private void retryLater(Pending p) {
        if (p.attempt()) {
            return;
        }
        p.delayNanos = Math.min(p.delayNanos * 2, MAX_DELAY.toNanos());
        synchronized (lock) {
            if (!closed) {
                schedule(p);
            }
        }
    }

    /**
     * Stops the background retries and tries each pending settle or release once more, for at most
     * the close bound in all (a store that is still down makes each try wait for its connect
     * timeout). What is left is logged: those reservations are charged at expiry.
     */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor s;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        long deadline = System.nanoTime() + closeBound.toNanos();
        if (s != null) {
            s.shutdown();
            awaitQuietly(s, closeBound.toNanos());
        }
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> left = new ArrayList<>(pending);
        // On its own thread, so that a try stuck on a dead server cannot hold close() past the bound.
        Thread last = new Thread(() -> {
            for (Pending p : left) {
                if (System.nanoTime() - deadline >= 0) {
                    return;
                }
                p.attempt();
            }
        }, "llm-service-settle-last-try");
        last.setDaemon(true);
        last.start();
        try {
            last.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int still = pending.size();
        if (still > 0) {
            LOG.warn("closing: {} settle(s) or release(s) could not reach the telemetry store ({}) within {} s;"
                    + " their reservations expire and are then charged at the cost their invocation records show",
                    still, storeName, closeBound.toSeconds());
        }
    }

    private static void awaitQuietly(ScheduledThreadPoolExecutor s, long nanos) {
        try {
            s.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
