package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.RateLimitOutcome;
import io.llmservice.spi.RateLimitTake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rate-limit buckets in a real PostgreSQL 14 (the same tests as H2RateLimitLedgerIT): the in-memory buckets' answers (the same figures as
 * {@code RateLimiterTest}), all or none, kept across reopening, and exact under concurrent takers.
 */
class PostgresRateLimitLedgerIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final TelemetrySettings settings = TestDatabases.fresh(PostgresServer.shared());
    private PostgresTelemetryStore store;
    private RateLimitLedger ledger;

    @BeforeEach
    void open() {
        store = PostgresTelemetryStore.open(settings, Clock.systemUTC());
        ledger = store.rateLimits().orElseThrow();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static RateLimitTake requests(long perMinute) {
        return new RateLimitTake("requests {agent: reviewer}", perMinute, 1);
    }

    private static RateLimitTake tokens(long perMinute, long amount) {
        return new RateLimitTake("tokens {global}", perMinute, amount);
    }

    @Test
    void newBucket_startsFull_refusesTheOneTooMany_withExactRetryAfter_andRefillsContinuously() {
        for (int i = 0; i < 20; i++) {
            assertThat(ledger.tryTake(List.of(requests(20)), T0).taken()).as("take %d", i).isTrue();
        }
        RateLimitOutcome refused = ledger.tryTake(List.of(requests(20)), T0);
        assertThat(refused.taken()).isFalse();
        assertThat(refused.waits()).containsExactly(Duration.ofSeconds(3));   // one permit per 60 s / 20

        Instant almost = T0.plusMillis(2_999);
        assertThat(ledger.tryTake(List.of(requests(20)), almost).waits()).containsExactly(Duration.ofMillis(1));
        assertThat(ledger.tryTake(List.of(requests(20)), T0.plusSeconds(3)).taken()).isTrue();
        assertThat(ledger.tryTake(List.of(requests(20)), T0.plusSeconds(3)).taken()).isFalse();
    }

    @Test
    void aRefusingBucket_takesNothingFromTheOthers_andEachWaitIsReportedInOrder() {
        assertThat(ledger.tryTake(List.of(requests(1), tokens(1_000, 900)), T0).taken()).isTrue();

        // requests: 60 s to the next permit; tokens: 500 missing at 1000 per minute, 30 s
        RateLimitOutcome refused = ledger.tryTake(List.of(tokens(1_000, 600), requests(1)), T0);
        assertThat(refused.taken()).isFalse();
        assertThat(refused.waits()).containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(1));
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofMinutes(1));

        // the refused call took none of the 100 tokens left
        assertThat(ledger.tryTake(List.of(tokens(1_000, 100)), T0).taken()).isTrue();
        assertThat(ledger.tryTake(List.of(tokens(1_000, 1)), T0).taken()).isFalse();
    }

    @Test
    void takeLargerThanTheBucket_passesWhenFull_leavesDebt_andRefillsToCapacityOnly() {
        assertThat(ledger.tryTake(List.of(tokens(1_000, 2_500)), T0).taken()).isTrue();   // 1500 in debt
        assertThat(ledger.tryTake(List.of(tokens(1_000, 100)), T0).waits())
                .containsExactly(Duration.ofSeconds(96));   // 1600 tokens to refill at 1000 per minute
        assertThat(ledger.tryTake(List.of(tokens(1_000, 2_500)), T0.plusSeconds(119)).taken()).isFalse();

        Instant later = T0.plus(Duration.ofMinutes(10));
        assertThat(ledger.tryTake(List.of(tokens(1_000, 1_000)), later).taken()).isTrue();   // full, not beyond
        assertThat(ledger.tryTake(List.of(tokens(1_000, 1)), later).taken()).isFalse();
    }

    @Test
    void wallClockSteppedBackAnHour_addsNothing_thenRefillsAtItsRate_insteadOfStallingAnHour() {
        assertThat(ledger.tryTake(List.of(requests(1)), T0).taken()).isTrue();
        Instant back = T0.minus(Duration.ofHours(1));
        assertThat(ledger.tryTake(List.of(requests(1)), back).waits()).containsExactly(Duration.ofMinutes(1));
        assertThat(ledger.tryTake(List.of(requests(1)), back.plusSeconds(59)).waits())
                .containsExactly(Duration.ofSeconds(1));
        assertThat(ledger.tryTake(List.of(requests(1)), back.plusSeconds(60)).taken()).isTrue();
        assertThat(ledger.tryTake(List.of(requests(1)), back.plusSeconds(60)).taken()).isFalse();
    }

    @Test
    void wallClockSteppedForwardAnHour_refillsAtMostToCapacity() {
        for (int i = 0; i < 3; i++) {
            assertThat(ledger.tryTake(List.of(requests(3)), T0).taken()).isTrue();
        }
        Instant ahead = T0.plus(Duration.ofHours(1));
        for (int i = 0; i < 3; i++) {
            assertThat(ledger.tryTake(List.of(requests(3)), ahead).taken()).isTrue();
        }
        assertThat(ledger.tryTake(List.of(requests(3)), ahead).waits()).containsExactly(Duration.ofSeconds(20));
    }

    @Test
    void readingAFewSecondsBehindTheLastRefill_addsNothing_andMovesNothingBack() {
        // Another process read the clock a moment before this one's take committed: not a step.
        ledger.tryTake(List.of(requests(1)), T0);
        assertThat(ledger.tryTake(List.of(requests(1)), T0.minusSeconds(5)).waits())
                .containsExactly(Duration.ofMinutes(1));
        assertThat(ledger.tryTake(List.of(requests(1)), T0.plusSeconds(59)).taken()).isFalse();
        assertThat(ledger.tryTake(List.of(requests(1)), T0.plusSeconds(60)).taken()).isTrue();
    }

    @Test
    void clockBehindTheLastRefill_addsNothing() {
        ledger.tryTake(List.of(requests(1)), T0);
        assertThat(ledger.tryTake(List.of(requests(1)), T0.minusSeconds(30)).waits())
                .containsExactly(Duration.ofMinutes(1));
        assertThat(ledger.tryTake(List.of(requests(1)), T0.plusSeconds(60)).taken()).isTrue();
    }

    @Test
    void buckets_areInTheFile_sharedByAnotherStoreOnIt_andKeptAcrossReopening() {
        for (int i = 0; i < 3; i++) {
            assertThat(ledger.tryTake(List.of(requests(5)), T0).taken()).isTrue();
        }
        try (PostgresTelemetryStore other = PostgresTelemetryStore.open(settings, Clock.systemUTC())) {
            RateLimitLedger second = other.rateLimits().orElseThrow();
            assertThat(second.tryTake(List.of(requests(5)), T0).taken()).isTrue();
        }
        store.close();
        store = PostgresTelemetryStore.open(settings, Clock.systemUTC());
        ledger = store.rateLimits().orElseThrow();
        assertThat(ledger.tryTake(List.of(requests(5)), T0).taken()).isTrue();
        assertThat(ledger.tryTake(List.of(requests(5)), T0).waits()).containsExactly(Duration.ofSeconds(12));
    }

    @Test
    void concurrentTakers_inBothLockOrders_takeExactlyTheBucket_withoutErrors() throws Exception {
        RateLimitTake a = new RateLimitTake("requests {team: a}", 1_000, 1);
        RateLimitTake b = new RateLimitTake("requests {global}", 50, 1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<RateLimitTake> takes = t % 2 == 0 ? List.of(a, b) : List.of(b, a);
                Callable<Integer> taker = () -> {
                    int taken = 0;
                    for (int i = 0; i < 25; i++) {
                        if (ledger.tryTake(takes, T0).taken()) {
                            taken++;
                        }
                    }
                    return taken;
                };
                results.add(pool.submit(taker));
            }
            int taken = 0;
            for (Future<Integer> f : results) {
                taken += f.get();
            }
            assertThat(taken).isEqualTo(50);
        } finally {
            pool.shutdownNow();
        }
        // the refused takes took nothing from the roomy bucket: 1000 - 50
        assertThat(ledger.tryTake(List.of(new RateLimitTake("requests {team: a}", 1_000, 950)), T0).taken()).isTrue();
        assertThat(ledger.tryTake(List.of(new RateLimitTake("requests {team: a}", 1_000, 1)), T0).taken()).isFalse();
    }

    @Test
    void bucketNamedTwice_isRefusedBeforeAnythingIsTaken() {
        assertThatThrownBy(() -> ledger.tryTake(List.of(requests(5), requests(5)), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bucket requests {agent: reviewer} is named twice");
        assertThat(ledger.tryTake(List.of(new RateLimitTake("requests {agent: reviewer}", 5, 5)), T0).taken()).isTrue();
    }

    @Test
    void noTakes_isTakenAtOnce() {
        assertThat(ledger.tryTake(List.of(), T0)).isEqualTo(RateLimitOutcome.taken(0));
    }
}
