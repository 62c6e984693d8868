package io.llmservice.telemetry.jdbc.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Maps the instants a host passes to a ledger (from its service {@link Clock}) onto the database's
 * clock, so that hosts whose clocks disagree still agree on when a reservation expires, when a
 * rate-limit bucket was last refilled and when a cooldown ends. The ledgers store and compare only
 * database times.
 *
 * <p>In each ledger transaction {@link #offset} reads the database's time
 * ({@link JdbcDatabase#now}, {@code CURRENT_TIMESTAMP}) and the host's clock, and a host instant
 * {@code t} becomes {@code t + offset}, where {@code offset} is database time minus host time: the
 * durations the host means ("expires in 10 minutes", "61 seconds later") are kept, anchored on the
 * database's clock. A host whose clock is 5 minutes ahead therefore reserves with the same expiry
 * as the others.
 *
 * <p>The offset is whole seconds (rounded), re-measured in every transaction and adopted only when
 * it moved by more than {@link #TOLERANCE}. Readings on the host and in the database are taken a
 * round trip apart, so an exact offset would differ by microseconds from one transaction, and one
 * process, to the next, and two operations of one machine's processes would be a little longer or
 * shorter than meant (the rate limits count microseconds). Rounded, the offset of clocks that agree
 * to within half a second is zero: the processes of one machine, and hosts kept in sync by NTP,
 * compare their own instants exactly as before; a host off by more is corrected to the second. A
 * stepped or drifting host clock is followed once it is off by more than the tolerance. So every
 * host sees database time to within 1.5 s (half a second of rounding plus the tolerance) and a
 * round trip, and two hosts agree to within 3 s — against the minutes of a reservation's expiry and
 * the 10 s a rate limit's bucket treats as a clock set back.
 *
 * <pre>{@code
 * DatabaseClock time = new DatabaseClock(clock);
 * Duration offset = time.offset(db, connection);   // inside the ledger's transaction
 * long expiresNs = InvocationTable.nanos(request.expiresAt().plus(offset));
 * }</pre>
 *
 * <p>A consequence: a host's clock that jumps (a test's clock set forward) moves nothing in the
 * database — only the database's own time does. The in-memory store, which has no database, still
 * follows the service clock. Thread-safe.
 */
final class DatabaseClock {
    /** How far the measured offset may move before it is adopted. */
    static final Duration TOLERANCE = Duration.ofSeconds(1);

    private final Clock clock;
    /** Database time minus host time, as last adopted; null before the first reading. */
    private volatile Duration offset;

    DatabaseClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Reads the database's time on {@code c} (inside the caller's transaction) and returns the offset to add. */
    Duration offset(JdbcDatabase db, Connection c) throws SQLException {
        Instant database = db.now(c);
        Duration measured = Duration.ofSeconds(Math.round(Duration.between(clock.instant(), database).toMillis() / 1000.0));
        Duration current = offset;
        if (current == null || measured.minus(current).abs().compareTo(TOLERANCE) > 0) {
            offset = measured;
            return measured;
        }
        return current;
    }

    /** The host's clock, whose instants {@link #offset} maps. */
    Clock clock() {
        return clock;
    }
}
