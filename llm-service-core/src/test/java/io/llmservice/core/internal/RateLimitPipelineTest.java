package io.llmservice.core.internal;

import io.llmservice.testkit.ForwardingTelemetryStore;
import io.llmservice.CallCancelledException;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.Usage;
import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.pipeline.CallCancellation;
import io.llmservice.core.internal.ratelimit.SharedBuckets;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.routing.HeuristicTokenEstimator;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.llmservice.core.internal.TestConfigs.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitPipelineTest {
    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts()
            .answer("claude", "ok", Usage.of(10, 10, 0, 0), null);
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final ManualTicker ticker = new ManualTicker();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    /** Sleeps by moving the test clock and ticker. */
    private final Sleeper fakeSleeper = (d, cancellation) -> {
        sleeps.add(d);
        advance(d);
    };
    private LlmService llm;

    private LlmService start(RateLimitDefinition limit, Sleeper sleeper) {
        llm = Services.build(TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .agent("reviewer", "platform", "claude", "sonnet")
                .agent("writer", "docs", "claude", "sonnet")
                .rateLimit(limit).build(), scripts.provider(), store, clock, ticker, sleeper);
        return llm;
    }

    private void advance(Duration d) {
        clock.advance(d);
        ticker.advance(d);
    }

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
    }

    private static LlmRequest review() {
        return LlmRequest.builder("Review this diff").agent("reviewer").build();
    }

    @Test
    void fail_refusesWithRetryAfter_recordsRateLimited_andRunsNothing() {
        start(TestConfigs.failingLimit(scope(ScopeKind.AGENT, "reviewer"), 2, 0), fakeSleeper);
        llm.route(review()).execute();
        llm.route(review()).execute();

        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(e.scope()).isEqualTo("{agent: reviewer}");
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo(
                            "rate limit {agent: reviewer} reached (2 requests per minute); retry after 30000 ms");
                });
        assertThat(scripts.invocations).hasSize(2);
        assertThat(sleeps).isEmpty();
        assertThat(store.all()).filteredOn(r -> r.outcome() == Outcome.RATE_LIMITED).singleElement().satisfies(r -> {
            assertThat(r.attempt()).isZero();
            assertThat(r.agent()).isEqualTo("reviewer");
            assertThat(r.errorCode()).contains("LLM-021");
        });
        // other agents are not limited by the reviewer's limit
        assertThat(llm.route(LlmRequest.builder("x").agent("writer").build()).execute().text()).isEqualTo("ok");
        advance(Duration.ofSeconds(30));
        assertThat(llm.route(review()).execute().text()).isEqualTo("ok");
    }

    @Test
    void wait_sleepsUntilAPermitIsBack_thenRuns() {
        start(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT, Duration.ofSeconds(60)), fakeSleeper);
        llm.route(review()).execute();
        assertThat(llm.route(review()).execute().text()).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
        assertThat(scripts.invocations).hasSize(2);
    }

    @Test
    void wait_longerThanMaxWait_failsAtOnceWithoutSleeping() {
        start(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT, Duration.ofSeconds(30)), fakeSleeper);
        llm.route(review()).execute();
        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void wait_maxWaitIsMeasuredOnTheTicker_soAWallClockSetBackDoesNotExtendIt() {
        // While the request sleeps, the wall clock is set back an hour and another request takes the
        // permit that came back: after 60 s waited, 60 s more would pass the 90 s max_wait.
        AtomicInteger steals = new AtomicInteger();
        start(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT, Duration.ofSeconds(90)), (d, c) -> {
            sleeps.add(d);
            ticker.advance(d);
            clock.advance(Duration.ofHours(-1));
            if (steals.incrementAndGet() <= 3) {
                llm.route(LlmRequest.builder("x").agent("writer").build()).execute();
            }
        });
        llm.route(review()).execute();

        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60)));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void wait_interrupted_endsWithCancelledAndRestoresTheFlag() {
        start(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT, Duration.ofSeconds(60)), (d, c) -> {
            throw new InterruptedException("test");
        });
        llm.route(review()).execute();
        try {
            assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOf(CallCancelledException.class)
                    .hasMessage("interrupted while waiting for rate limit {global}");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(scripts.invocations).hasSize(1);
        assertThat(store.all()).filteredOn(r -> r.outcome() == Outcome.CANCELLED).hasSize(1);
    }

    @Test
    void tokensPerMinute_limitsByEstimatedPromptTokens() {
        String prompt = "Review this diff with care please";
        long tokens = new HeuristicTokenEstimator().estimate(prompt);
        start(TestConfigs.failingLimit(Scope.global(), 0, tokens * 2), fakeSleeper);
        LlmRequest request = LlmRequest.builder(prompt).agent("reviewer").build();
        llm.route(request).execute();
        llm.route(request).execute();
        assertThatThrownBy(() -> llm.route(request).execute()).isInstanceOfSatisfying(RateLimitedException.class,
                e -> {
                    assertThat(e.getMessage()).contains(tokens * 2 + " tokens per minute; this request ~" + tokens
                            + " tokens");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void realSleeper_wakesAtOnceWhenTheCallIsCancelled() throws Exception {
        CallCancellation cancellation = new CallCancellation();
        cancellation.cancel();
        long start = System.nanoTime();
        Sleeper.real().sleep(Duration.ofMinutes(5), cancellation);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void storeWithSharedBuckets_twoServicesOnIt_holdOneLimit_andTheRefusalIsRecorded() {
        SharedBuckets buckets = new SharedBuckets();
        TelemetryStore shared = new SharingStore(store, buckets);
        LlmService other = null;
        try {
            llm = Services.build(config(TestConfigs.failingLimit(Scope.global(), 3, 0)), scripts.provider(), shared,
                    clock, fakeSleeper);
            other = Services.build(config(TestConfigs.failingLimit(Scope.global(), 3, 0)), scripts.provider(), shared,
                    clock, fakeSleeper);
            llm.route(review()).execute();
            other.route(review()).execute();
            llm.route(review()).execute();

            LlmService second = other;
            assertThatThrownBy(() -> second.route(review()).execute()).isInstanceOfSatisfying(
                    RateLimitedException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "rate limit {global} reached (3 requests per minute); retry after 20000 ms"));
            assertThat(scripts.invocations).hasSize(3);
            assertThat(buckets.asked).hasSize(4);
            assertThat(store.all()).filteredOn(r -> r.outcome() == Outcome.RATE_LIMITED).hasSize(1);
        } finally {
            if (other != null) {
                other.close();
            }
        }
    }

    private static io.llmservice.config.LlmConfig config(RateLimitDefinition limit) {
        return TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .agent("reviewer", "platform", "claude", "sonnet")
                .rateLimit(limit).build();
    }

    /** The in-memory store, with rate-limit buckets shared like a file store's; closing it is the test's. */
    private static final class SharingStore extends ForwardingTelemetryStore {
        private final RateLimitLedger buckets;

        SharingStore(InMemoryTelemetryStore store, RateLimitLedger buckets) {
            super(store);
            this.buckets = buckets;
        }

        @Override
        public Optional<RateLimitLedger> rateLimits() {
            return Optional.of(buckets);
        }

        @Override
        public void close() {
        }
    }
}
