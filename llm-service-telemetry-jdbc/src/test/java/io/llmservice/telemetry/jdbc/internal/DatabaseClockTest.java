package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.spi.StoreCheck;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The host-to-database offset: whole seconds, kept through reading jitter, followed past the tolerance. */
class DatabaseClockTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final AtomicReference<Instant> host = new AtomicReference<>(T0);
    private final AtomicReference<Instant> database = new AtomicReference<>();
    private final JdbcDatabase db = new JdbcDatabase() {
        @Override
        public Connection connection() {
            throw new UnsupportedOperationException("no connections in this test");
        }

        @Override
        public Instant now(Connection c) {
            return database.get();
        }

        @Override
        public String describe() {
            return "test database";
        }

        @Override
        public StoreCheck check(Connection c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };
    private final DatabaseClock time = new DatabaseClock(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return host.get();
        }
    });

    private Duration read(Duration databaseAheadBy) throws Exception {
        database.set(host.get().plus(databaseAheadBy));
        return time.offset(db, null);
    }

    @Test
    void hostFiveMinutesAhead_isCorrectedToTheSecond() throws Exception {
        assertThat(read(Duration.ofMinutes(-5).plusMillis(3))).isEqualTo(Duration.ofMinutes(-5));
    }

    @Test
    void clocksWithinHalfASecond_keepTheHostsOwnInstants() throws Exception {
        assertThat(read(Duration.ofMillis(420))).isZero();
        assertThat(read(Duration.ofMillis(-420))).isZero();
    }

    @Test
    void readingJitter_doesNotMoveTheOffset_soDurationsStayExact() throws Exception {
        assertThat(read(Duration.ofSeconds(7).plusMillis(400))).isEqualTo(Duration.ofSeconds(7));
        // a later reading, a round trip slower: would round to 8 s, but 8 - 7 is within the tolerance
        host.set(T0.plusSeconds(30));
        assertThat(read(Duration.ofSeconds(7).plusMillis(600))).isEqualTo(Duration.ofSeconds(7));
        assertThat(read(Duration.ofSeconds(6).plusMillis(400))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void hostClockStepped_isFollowedOnceOffByMoreThanTheTolerance() throws Exception {
        assertThat(read(Duration.ZERO)).isZero();
        // the host's clock jumps 10 s forward; the database's does not
        host.set(T0.plusSeconds(10));
        database.set(T0);
        assertThat(time.offset(db, null)).isEqualTo(Duration.ofSeconds(-10));
        // mapped, the host's "now" is still the database's
        assertThat(host.get().plus(time.offset(db, null))).isEqualTo(T0);
    }
}
