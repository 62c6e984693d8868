package io.llmservice.core.internal.ratelimit;

import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.core.internal.ManualTicker;
import io.llmservice.core.internal.MutableClock;
import io.llmservice.spi.RateLimitTake;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final ManualTicker ticker = new ManualTicker();

    private static RateLimitDefinition limit(Scope scope, long rpm, long tpm) {
        return new RateLimitDefinition(scope, rpm, tpm, OnLimit.FAIL, Duration.ofSeconds(30));
    }

    private static Scope agent(String name) {
        return new Scope(Map.of(ScopeKind.AGENT, name));
    }

    private RateLimiter.Decision call(RateLimiter l, long tokens) {
        return l.tryAcquire("reviewer", "platform", "claude", "sonnet", tokens);
    }

    @Test
    void requestsPerMinute_refusesTheOneTooMany_withExactRetryAfter() {
        RateLimiter l = new RateLimiter(List.of(limit(agent("reviewer"), 20, 0)), ticker);
        for (int i = 0; i < 20; i++) {
            assertThat(call(l, 10).admitted()).isTrue();
        }
        RateLimiter.Decision refused = call(l, 10);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(3)); // one permit per 60 s / 20
        assertThat(refused.scope()).isEqualTo("{agent: reviewer}");
        assertThat(refused.detail()).isEqualTo("20 requests per minute");
        assertThat(refused.mayWait()).isFalse();

        ticker.advance(Duration.ofMillis(2_999));
        assertThat(call(l, 10).retryAfter()).isEqualTo(Duration.ofMillis(1));
        ticker.advance(Duration.ofMillis(1));
        assertThat(call(l, 10).admitted()).isTrue();
        assertThat(call(l, 10).admitted()).isFalse();
    }

    @Test
    void tokensPerMinute_countsEstimatedTokens() {
        RateLimiter l = new RateLimiter(List.of(limit(Scope.global(), 0, 1_000)), ticker);
        assertThat(call(l, 600).admitted()).isTrue();
        RateLimiter.Decision refused = call(l, 600);
        assertThat(refused.admitted()).isFalse();
        // 200 tokens missing at 1000 per minute: 12 s
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(12));
        assertThat(refused.detail()).isEqualTo("1000 tokens per minute; this request ~600 tokens");
        assertThat(call(l, 400).admitted()).isTrue();
    }

    @Test
    void requestLargerThanTheBucket_waitsForAFullBucketThenLeavesDebt() {
        RateLimiter l = new RateLimiter(List.of(limit(Scope.global(), 0, 1_000)), ticker);
        assertThat(call(l, 2_500).admitted()).isTrue();   // full bucket: admitted, 1500 in debt
        assertThat(call(l, 100).retryAfter()).isEqualTo(Duration.ofSeconds(96)); // 1600 tokens to refill
        ticker.advance(Duration.ofMinutes(10));
        assertThat(call(l, 1_000).admitted()).isTrue();   // refilled to capacity, not beyond
        assertThat(call(l, 1).admitted()).isFalse();
    }

    @Test
    void refusedCall_takesNothingFromOtherLimits() {
        RateLimiter l = new RateLimiter(List.of(limit(agent("reviewer"), 1, 0), limit(Scope.global(), 2, 0)), ticker);
        assertThat(call(l, 1).admitted()).isTrue();
        assertThat(call(l, 1).admitted()).isFalse(); // the agent's limit refuses; the global one keeps its permit
        assertThat(l.tryAcquire("other", null, "claude", "sonnet", 1).admitted()).isTrue();
        assertThat(l.tryAcquire("other", null, "claude", "sonnet", 1).admitted()).isFalse();
    }

    @Test
    void scope_limitsOnlyMatchingCalls() {
        RateLimiter l = new RateLimiter(List.of(limit(agent("reviewer"), 1, 0)), ticker);
        assertThat(call(l, 1).admitted()).isTrue();
        assertThat(call(l, 1).admitted()).isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(l.tryAcquire("writer", null, "claude", "sonnet", 1).admitted()).isTrue();
        }
    }

    @Test
    void waitLimit_reportsMayWaitAndItsMaxWait() {
        RateLimiter l = new RateLimiter(List.of(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT,
                Duration.ofSeconds(90))), ticker);
        call(l, 1);
        RateLimiter.Decision d = call(l, 1);
        assertThat(d.mayWait()).isTrue();
        assertThat(d.maxWait()).isEqualTo(Duration.ofSeconds(90));
        assertThat(d.retryAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void wallClockSteppedBackOrForwardAnHour_changesNothing_theBucketsRefillOnTheTicker() {
        RateLimiter l = new RateLimiter(List.of(limit(Scope.global(), 1, 0)), ticker, clock, null);
        assertThat(call(l, 1).admitted()).isTrue();

        clock.advance(Duration.ofHours(-1));     // NTP steps the wall clock back
        ticker.advance(Duration.ofSeconds(30));
        assertThat(call(l, 1).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        ticker.advance(Duration.ofSeconds(30));
        assertThat(call(l, 1).admitted()).as("refilled a minute later, not an hour later").isTrue();

        clock.advance(Duration.ofHours(2));      // and forward: no burst
        assertThat(call(l, 1).retryAfter()).isEqualTo(Duration.ofMinutes(1));
        ticker.advance(Duration.ofMinutes(1));
        assertThat(call(l, 1).admitted()).isTrue();
        assertThat(call(l, 1).admitted()).isFalse();
    }

    @Test
    void shared_asksTheLedgerForEveryMatchingBucket_byNamePerMinuteAndAmount() {
        SharedBuckets ledger = new SharedBuckets();
        RateLimiter l = new RateLimiter(List.of(limit(agent("reviewer"), 20, 1_000), limit(agent("writer"), 3, 0),
                limit(Scope.global(), 5, 0)), ticker, clock, ledger);
        assertThat(l.isShared()).isTrue();

        assertThat(call(l, 600).admitted()).isTrue();

        assertThat(ledger.asked).containsExactly(List.of(
                new RateLimitTake("requests {agent: reviewer}", 20, 1),
                new RateLimitTake("tokens {agent: reviewer}", 1_000, 600),
                new RateLimitTake("requests {global}", 5, 1)));
    }

    @Test
    void shared_twoLimitersOnOneLedger_holdOneLimit_withTheInMemoryRetryAfter() {
        SharedBuckets ledger = new SharedBuckets();
        List<RateLimitDefinition> limits = List.of(limit(agent("reviewer"), 20, 0));
        RateLimiter first = new RateLimiter(limits, ticker, clock, ledger);
        RateLimiter second = new RateLimiter(limits, ticker, clock, ledger);
        for (int i = 0; i < 20; i++) {
            assertThat(call(i % 2 == 0 ? first : second, 10).admitted()).isTrue();
        }
        RateLimiter.Decision refused = call(second, 10);
        assertThat(refused).isEqualTo(call(first, 10));
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(refused.scope()).isEqualTo("{agent: reviewer}");
        assertThat(refused.detail()).isEqualTo("20 requests per minute");

        clock.advance(Duration.ofSeconds(3));
        assertThat(call(first, 10).admitted()).isTrue();
        assertThat(call(second, 10).admitted()).isFalse();
    }

    @Test
    void shared_refusal_takesNothing_andNamesTheLongestWaitWithTheShortestMaxWait() {
        SharedBuckets ledger = new SharedBuckets();
        RateLimiter l = new RateLimiter(List.of(
                new RateLimitDefinition(agent("reviewer"), 1, 0, OnLimit.WAIT, Duration.ofSeconds(90)),
                new RateLimitDefinition(Scope.global(), 0, 1_000, OnLimit.WAIT, Duration.ofSeconds(45)),
                limit(agent("writer"), 1, 0)), ticker, clock, ledger);
        assertThat(call(l, 900).admitted()).isTrue();

        RateLimiter.Decision d = call(l, 600);   // 1 request: 60 s; 500 tokens at 1000/min: 30 s
        assertThat(d.admitted()).isFalse();
        assertThat(d.retryAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(d.scope()).isEqualTo("{agent: reviewer}");
        assertThat(d.mayWait()).isTrue();
        assertThat(d.maxWait()).isEqualTo(Duration.ofSeconds(45));
        // the refused call took no tokens: the writer's 100 fit (1000 - 900 + nothing taken)
        assertThat(l.tryAcquire("writer", null, "claude", "sonnet", 100).admitted()).isTrue();
    }

    @Test
    void sameScopeTwice_isTwoLimits_withTwoBuckets() {
        SharedBuckets ledger = new SharedBuckets();
        RateLimiter l = new RateLimiter(List.of(limit(Scope.global(), 5, 0), limit(Scope.global(), 1, 0)), ticker,
                clock, ledger);
        assertThat(call(l, 1).admitted()).isTrue();
        assertThat(ledger.asked.get(0)).extracting(RateLimitTake::bucket)
                .containsExactly("requests {global}", "requests {global} #2");
        assertThat(call(l, 1).detail()).isEqualTo("1 requests per minute");
    }
}
