package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.RateLimitOutcome;
import io.llmservice.spi.RateLimitTake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The {@link RateLimitLedger} in the shared SQL database (H2 or PostgreSQL): one row per token bucket in
 * {@code rate_limit_bucket}, so every process sharing the file takes from the same buckets.
 *
 * <p>One {@link #tryTake} is one transaction. It locks the rows of the buckets it names
 * ({@code SELECT ... FOR UPDATE}, creating a missing bucket full) always in the order of their
 * names, so two requests naming the same buckets never wait on each other in a cycle. It then
 * refills each bucket by the time elapsed since its last refill, and takes from all of them or
 * writes nothing. The arithmetic is the in-memory buckets' (exact integers: a permit is
 * {@value #UNITS_PER_PERMIT} units, and a bucket of N per minute gains N units per microsecond), so
 * a store-kept limit answers exactly as one limit in one JVM would.
 *
 * <p>Time is the {@code now} the caller passes, from its host's service clock, mapped onto the
 * database's clock in each transaction ({@link DatabaseClock}); the rows keep database times of their
 * last refill. So hosts whose clocks disagree (one 5 minutes ahead) refill the same bucket by the
 * same elapsed time instead of the one ahead finding it 5 minutes fuller. A host's own clock
 * stepping moves nothing (the mapping follows it); steps of the database's clock are contained: a
 * step forward refills a bucket at most to its capacity; a {@code now} behind the last refill adds
 * nothing, and when it is more than {@link #STEP_BACK} behind (the clock was set back, not a reading
 * taken a moment before another host's, which differ by at most twice
 * {@link DatabaseClock#TOLERANCE}) the bucket's refill time moves back to it, so the bucket refills
 * at its rate from there instead of stalling until the clock catches up. It never takes back permits.
 *
 * <p>Lock timeouts, deadlocks, two processes creating the same bucket at once and a lost server
 * connection roll the transaction back and retry it, as {@link JdbcBudgetLedger} does; a transaction
 * that never committed took nothing. Thread-safe: each call uses its own pooled connection.
 */
public final class JdbcRateLimitLedger implements RateLimitLedger {
    static final long UNITS_PER_PERMIT = 60_000_000L;
    /** How far behind the last refill a {@code now} must be to count as the wall clock set back. */
    static final Duration STEP_BACK = Duration.ofSeconds(10);
    private static final long STEP_BACK_US = STEP_BACK.toNanos() / 1_000;

    private final JdbcDatabase db;
    private final DatabaseClock time;

    /** The buckets in {@code db} for a host whose service clock is {@code clock}. */
    public JdbcRateLimitLedger(JdbcDatabase db, Clock clock) {
        this.db = db;
        this.time = new DatabaseClock(clock);
    }

    @Override
    public RateLimitOutcome tryTake(List<RateLimitTake> takes, Instant now) {
        Objects.requireNonNull(takes, "takes");
        Objects.requireNonNull(now, "now");
        if (takes.isEmpty()) {
            return RateLimitOutcome.taken(0);
        }
        int[] lockOrder = IntStream.range(0, takes.size()).boxed()
                .sorted(Comparator.comparing(i -> takes.get(i).bucket())).mapToInt(Integer::intValue).toArray();
        for (int k = 1; k < lockOrder.length; k++) {
            if (takes.get(lockOrder[k]).bucket().equals(takes.get(lockOrder[k - 1]).bucket())) {
                throw new IllegalArgumentException("bucket " + takes.get(lockOrder[k]).bucket() + " is named twice");
            }
        }
        return inTransaction(takes, c -> take(c, takes, lockOrder, micros(now.plus(time.offset(db, c)))));
    }

    private static RateLimitOutcome take(Connection c, List<RateLimitTake> takes, int[] lockOrder, long nowUs)
            throws SQLException {
        int n = takes.size();
        long[] level = new long[n];
        long[] refilledAt = new long[n];
        try (PreparedStatement select = c.prepareStatement(
                "SELECT level, refilled_at_us FROM rate_limit_bucket WHERE bucket = ? FOR UPDATE")) {
            for (int i : lockOrder) {
                RateLimitTake t = takes.get(i);
                select.setString(1, t.bucket());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        level[i] = rs.getLong(1);
                        refilledAt[i] = rs.getLong(2);
                        continue;
                    }
                }
                // First use of this bucket: it starts full. A concurrent creator makes this insert fail
                // with a duplicate key, and the whole transaction is retried, then finding the row.
                level[i] = capacity(t);
                refilledAt[i] = nowUs;
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO rate_limit_bucket (bucket, level, refilled_at_us) VALUES (?, ?, ?)")) {
                    insert.setString(1, t.bucket());
                    insert.setLong(2, level[i]);
                    insert.setLong(3, nowUs);
                    insert.executeUpdate();
                }
            }
        }
        List<Duration> waits = new ArrayList<>(n);
        boolean fits = true;
        boolean steppedBack = false;
        for (int i = 0; i < n; i++) {
            RateLimitTake t = takes.get(i);
            long elapsed = nowUs - refilledAt[i];
            if (elapsed > 0) {
                long untilFull = ceilDiv(capacity(t) - level[i], t.perMinute());
                level[i] = elapsed >= untilFull ? capacity(t) : level[i] + elapsed * t.perMinute();
                refilledAt[i] = nowUs;
            } else if (-elapsed > STEP_BACK_US) {
                // The wall clock was set back: refill from now on, adding nothing for the step.
                refilledAt[i] = nowUs;
                steppedBack = true;
            }
            long need = Math.min(t.amount(), t.perMinute()) * UNITS_PER_PERMIT;
            long wait = level[i] >= need ? 0 : ceilDiv(need - level[i], t.perMinute());
            waits.add(Duration.of(wait, ChronoUnit.MICROS));
            fits &= wait == 0;
        }
        if (!fits && !steppedBack) {
            // Nothing written: a refill alone changes no answer, the next take computes the same level.
            return RateLimitOutcome.refused(waits);
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE rate_limit_bucket SET level = ?, refilled_at_us = ? WHERE bucket = ?")) {
            for (int i = 0; i < n; i++) {
                RateLimitTake t = takes.get(i);
                // Refused after a step back: only the moved refill times are written, the levels as they were.
                update.setLong(1, fits ? level[i] - Math.multiplyExact(t.amount(), UNITS_PER_PERMIT) : level[i]);
                update.setLong(2, refilledAt[i]);
                update.setString(3, t.bucket());
                update.addBatch();
            }
            update.executeBatch();
        }
        return fits ? RateLimitOutcome.taken(n) : RateLimitOutcome.refused(waits);
    }

    private static long capacity(RateLimitTake t) {
        return Math.multiplyExact(t.perMinute(), UNITS_PER_PERMIT);
    }

    private <T> T inTransaction(List<RateLimitTake> takes, Transactions.Work<T> work) {
        return Transactions.run(db, "rate limits in " + db.describe() + ": could not take from " + names(takes), work);
    }

    private static String names(List<RateLimitTake> takes) {
        return takes.stream().map(RateLimitTake::bucket).toList().toString();
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    private static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }
}
