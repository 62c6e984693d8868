package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.RateLimitTake;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.telemetry.jdbc.internal.JdbcBudgetLedger;
import io.llmservice.telemetry.jdbc.internal.JdbcCooldownLedger;
import io.llmservice.telemetry.jdbc.internal.JdbcRateLimitLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts on one store whose clocks differ by 5 minutes: the ledgers judge expiry, refills and
 * cooldowns by the database's clock, so both agree. Each "host" is a ledger over the same real H2
 * database with its own service clock ({@code ahead} = the system clock + 5 minutes); each passes
 * instants from its own clock, as the budget and rate-limit steps do.
 */
class SkewedClocksIT {
    private static final Duration SKEW = Duration.ofMinutes(5);

    @TempDir
    Path dir;
    private TelemetryDatabase db;
    private final Clock right = Clock.systemUTC();
    private final Clock ahead = Clock.offset(Clock.systemUTC(), SKEW);
    private final String day = "daily:" + LocalDate.now(ZoneOffset.UTC);

    @BeforeEach
    void open() {
        db = TelemetryDatabase.open(dir.resolve("telemetry"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ReservationRequest reserve(String requestId, Clock clock, Duration ttl) {
        Instant now = clock.instant();
        return ReservationRequest.builder("team", day).limitUsd(new BigDecimal("1.00")).amountUsd(new BigDecimal("0.10"))
                .call(requestId, 1, "reviewer", "claude", "sonnet").now(now).expiresAt(now.plus(ttl)).build();
    }

    @Test
    void hostAhead_doesNotChargeAnotherHostsLiveReservation() {
        JdbcBudgetLedger hostA = new JdbcBudgetLedger(db, right);
        JdbcBudgetLedger hostB = new JdbcBudgetLedger(db, ahead);
        hostA.reserve(reserve("req-a", right, Duration.ofSeconds(60)));

        // B's clock is 4 minutes past the reservation's expiry on A's clock; by the database's it has 60 s left.
        BudgetStanding seenByB = hostB.standing("team", day, ahead.instant());

        assertThat(seenByB.reservedUsd()).isEqualByComparingTo("0.10");
        assertThat(seenByB.expiryCharges()).isZero();
        assertThat(hostB.liveReservations(ahead.instant())).isEqualTo(1);
    }

    @Test
    void bothHosts_agreeWhenAReservationOfTheHostAheadExpires() {
        JdbcBudgetLedger hostA = new JdbcBudgetLedger(db, right);
        JdbcBudgetLedger hostB = new JdbcBudgetLedger(db, ahead);
        hostB.reserve(reserve("req-b", ahead, Duration.ofSeconds(60)));

        // 60 s on B's clock is 60 s on A's: live 55 s later, expired (and charged) 65 s later.
        assertThat(hostA.standing("team", day, right.instant().plusSeconds(55)).reservedUsd())
                .isEqualByComparingTo("0.10");
        assertThat(hostB.standing("team", day, ahead.instant().plusSeconds(55)).reservedUsd())
                .isEqualByComparingTo("0.10");
        BudgetStanding later = hostA.standing("team", day, right.instant().plusSeconds(65));
        assertThat(later.reservedUsd()).isEqualByComparingTo("0");
        assertThat(later.expiryCharges()).isEqualTo(1);
        assertThat(later.spentUsd()).isEqualByComparingTo("0.10");
    }

    @Test
    void bothHosts_reserveWithTheSameExpiryForTheSameDuration() throws Exception {
        JdbcBudgetLedger hostA = new JdbcBudgetLedger(db, right);
        JdbcBudgetLedger hostB = new JdbcBudgetLedger(db, ahead);
        hostA.reserve(reserve("req-a", right, Duration.ofSeconds(600)));
        hostB.reserve(reserve("req-b", ahead, Duration.ofSeconds(600)));

        try (var c = db.connection(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT MAX(expires_at_ns) - MIN(expires_at_ns) FROM budget_reservation")) {
            rs.next();
            // the same to within the mapping's 3 s (both ledgers read the database's clock; 5 minutes apart before)
            assertThat(Duration.ofNanos(rs.getLong(1))).isLessThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void hostAhead_findsTheSharedBucketAsEmptyAsTheOtherHostLeftIt() {
        JdbcRateLimitLedger hostA = new JdbcRateLimitLedger(db, right);
        JdbcRateLimitLedger hostB = new JdbcRateLimitLedger(db, ahead);
        RateLimitTake one = new RateLimitTake("requests {team: a}", 1, 1);

        assertThat(hostA.tryTake(List.of(one), right.instant()).taken()).isTrue();
        // 5 minutes ahead is not 5 minutes of refill: one permit a minute, and the minute has not passed
        assertThat(hostB.tryTake(List.of(one), ahead.instant()).taken()).isFalse();
        assertThat(hostA.tryTake(List.of(one), right.instant()).taken()).isFalse();
    }

    @Test
    void cooldown_startedByOneHost_lastsAsLongOnTheHostAhead() {
        JdbcCooldownLedger hostA = new JdbcCooldownLedger(db, right);
        JdbcCooldownLedger hostB = new JdbcCooldownLedger(db, ahead);
        CooldownKey key = new CooldownKey("codex", "gpt-5-codex", "abc123");
        hostA.failed(key, "HTTP 429", 1, Duration.ofMinutes(4), right.instant());

        CooldownEntry seenByB = hostB.entries().get(0);

        assertThat(seenByB.coolingAt(ahead.instant())).as("B's view: %s", seenByB).isTrue();
        assertThat(seenByB.coolingAt(ahead.instant().plus(Duration.ofMinutes(4)).plusSeconds(5))).isFalse();
        assertThat(hostA.entries().get(0).coolingAt(right.instant().plusSeconds(230))).isTrue();
    }
}
