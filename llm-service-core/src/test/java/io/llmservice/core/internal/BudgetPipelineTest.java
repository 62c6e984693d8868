package io.llmservice.core.internal;

import io.llmservice.testkit.ForwardingTelemetryStore;
import io.llmservice.BudgetExceededException;
import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.RoutedCall;
import io.llmservice.ToolExitException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.pipeline.BudgetStep;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.core.internal.routing.HeuristicTokenEstimator;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.llmservice.core.internal.TestConfigs.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Budgets through the service's pipeline. Prices are chosen so that a short prompt's estimate
 * (no input price, the 256-token minimum output allowance) is a round figure: sonnet and codex
 * $0.01, haiku $0.001, opus $0.10.
 */
class BudgetPipelineTest {
    private static final String DAY = "daily:2026-12-01";
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts();
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private LlmService llm;

    private final LlmServiceListener warningListener = new LlmServiceListener() {
        @Override
        public void onWarning(ErrorCode code, String message) {
            warnings.add(code.id() + " " + message);
        }
    };

    private static TestConfigs models() {
        return TestConfigs.create()
                .model("opus", Tier.PREMIUM, 200_000, "0", "390.625")
                .model("sonnet", Tier.STANDARD, 200_000, "0", "39.0625")
                .model("haiku", Tier.ECONOMY, 200_000, "0", "3.90625")
                .model("codex", Tier.STANDARD, 200_000, "0", "39.0625")
                .tool("claude", ScriptedAdapter.TYPE, "opus", "sonnet", "haiku")
                .tool("codex-cli", ScriptedAdapter.TYPE, "codex")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"))
                .agent("solo", "platform", "claude", "sonnet");
    }

    private static TestConfigs hardTeamBudget(String limit) {
        return models().budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, limit,
                LimitType.HARD, OnExceed.BLOCK);
    }

    private LlmService start(TestConfigs configs) {
        llm = Services.build(configs.build(), scripts.provider(), store, clock, Sleeper.real(), warningListener);
        return llm;
    }

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
    }

    private static LlmRequest review(String agent) {
        return LlmRequest.builder("Review this diff").agent(agent).build();
    }

    private BigDecimal spent() {
        return store.ledger().standing("team-daily", DAY, clock.instant()).spentUsd();
    }

    private void answerWithCost(String tool, String usd) {
        scripts.answer(tool, "ok", Usage.of(10, 256, 0, 0), new BigDecimal(usd));
    }

    /** Runs {@code calls} calls on each of {@code threads} threads, all released at once; returns the outcomes. */
    private List<Object> hammer(int threads, int calls, String agent) throws Exception {
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < calls; i++) {
                        try {
                            outcomes.add(llm.route(review(agent)).execute());
                        } catch (LlmServiceException e) {
                            outcomes.add(e);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(outcomes).hasSize(threads * calls);
        return outcomes;
    }

    // ---- hard limits under concurrency ------------------------------------------------------

    @Test
    void hammer_64Threads_actualEqualsEstimate_spendReachesLimitExactlyAndNoReservationLeaks() throws Exception {
        answerWithCost("claude", "0.01");
        start(hardTeamBudget("0.50"));

        List<Object> outcomes = hammer(64, 4, "reviewer");

        assertThat(outcomes.stream().filter(o -> o instanceof LlmResponse)).hasSize(50);
        assertThat(outcomes.stream().filter(o -> !(o instanceof LlmResponse)))
                .hasSize(206).allSatisfy(o -> assertThat(o).isInstanceOf(BudgetExceededException.class));
        assertThat(spent()).isEqualByComparingTo("0.50");
        assertThat(store.ledger().liveReservations()).isZero();
        assertThat(scripts.invocations).hasSize(50);
        assertThat(store.all()).hasSize(256);
        assertThat(store.all().stream().filter(r -> r.outcome() == Outcome.BUDGET_BLOCKED)).hasSize(206)
                .allSatisfy(r -> assertThat(r.tool()).isEqualTo("claude")); // never fell back to codex
    }

    @Test
    void hammer_failingAndTimingOutCalls_releaseEveryReservation() throws Exception {
        AtomicInteger n = new AtomicInteger();
        scripts.behaviour.put("claude", inv -> switch (n.getAndIncrement() % 4) {
            case 0 -> ToolResult.builder("ok").usage(Usage.of(10, 256, 0, 0)).reportedCostUsd(CENT).build();
            case 1 -> throw new ToolExitException("claude", 2, "bad flag", "", false);
            case 2 -> throw new ToolTimeoutException("claude", Duration.ofSeconds(1));
            default -> throw new IllegalStateException("adapter bug");
        });
        start(hardTeamBudget("0.50"));

        List<Object> outcomes = hammer(64, 4, "solo");

        long served = outcomes.stream().filter(o -> o instanceof LlmResponse).count();
        assertThat(served).isPositive();
        assertThat(store.ledger().liveReservations()).isZero();
        assertThat(spent()).isEqualByComparingTo(CENT.multiply(BigDecimal.valueOf(served)));
        assertThat(spent()).isLessThanOrEqualTo(new BigDecimal("0.50"));
        List<InvocationRecord> failed = store.all().stream()
                .filter(r -> r.outcome() == Outcome.FAILED || r.outcome() == Outcome.TIMEOUT).toList();
        assertThat(failed).hasSizeGreaterThan(50)
                .allSatisfy(r -> assertThat(r.reservedUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(CENT)));
    }

    @Test
    void hammer_actualAboveEstimate_overrunBoundedByTheRecordedGaps() throws Exception {
        answerWithCost("claude", "0.03");
        // history would soon reserve the real $0.03; the cap keeps every reservation below the cost
        start(hardTeamBudget("0.50").maxReservation("0.01"));

        hammer(64, 4, "reviewer");

        List<InvocationRecord> served = store.all().stream().filter(r -> r.outcome() == Outcome.SUCCESS).toList();
        assertThat(served).isNotEmpty().allSatisfy(r -> {
            assertThat(r.reservedUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.01"));
            assertThat(r.costUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.03"));
        });
        BigDecimal gaps = served.stream().map(r -> r.costUsd().orElseThrow().subtract(r.reservedUsd().orElseThrow()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal overrun = spent().subtract(new BigDecimal("0.50"));
        assertThat(overrun).isPositive().isLessThanOrEqualTo(gaps);
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void cancelWhileRunning_releasesTheReservation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        scripts.blockUntilCancelled("claude", started);
        RoutedCall call = start(hardTeamBudget("1")).route(review("solo"));
        CompletableFuture<LlmResponse> f = call.executeAsync();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(store.ledger().liveReservations()).isEqualTo(1);

        call.cancel();

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CallCancelledException.class);
        assertThat(store.ledger().liveReservations()).isZero();
        assertThat(spent()).isEqualByComparingTo("0");
    }

    // ---- refusal ----------------------------------------------------------------------------

    @Test
    void hardRefusal_exactMessage_nothingInvoked_noFallback_recordedAsBudgetBlocked() {
        answerWithCost("claude", "0.01");
        answerWithCost("codex-cli", "0.01");
        start(hardTeamBudget("0.02"));
        llm.route(review("reviewer")).execute();
        llm.route(review("reviewer")).execute();

        RoutedCall third = llm.route(review("reviewer"));
        assertThatThrownBy(third::execute).isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("budget 'team-daily' (daily 2026-12-01) refused the request:"
                    + " limit $0.02, spent $0.02, reserved $0, this request needs ~$0.01");
            assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_EXCEEDED);
            assertThat(e.retriable()).isFalse();
        });
        assertThat(scripts.invocations).hasSize(2);
        assertThat(store.all()).filteredOn(r -> r.outcome() == Outcome.BUDGET_BLOCKED).singleElement()
                .satisfies(r -> {
                    assertThat(r.attempt()).isEqualTo(1);
                    assertThat(r.tool()).isEqualTo("claude");
                    assertThat(r.model()).isEqualTo("sonnet");
                    assertThat(r.errorCode()).contains("LLM-020");
                    assertThat(r.reservedUsd()).isEmpty();
                    assertThat(r.costUsd()).isEmpty();
                });
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void ledgerFailure_refusedAsBudgetUnavailable_withTheCause_andTheAttemptIsStillRecorded() {
        answerWithCost("claude", "0.01");
        LlmServiceException broken = new LlmServiceException(ErrorCode.TELEMETRY_STORE,
                "budget ledger in /tmp/x: could not reserve: database is locked");
        io.llmservice.spi.BudgetLedger real = store.ledger();
        io.llmservice.spi.BudgetLedger failing = new io.llmservice.spi.BudgetLedger() {
            @Override
            public io.llmservice.spi.ReservationOutcome reserve(ReservationRequest request) {
                throw broken;
            }

            @Override
            public void settle(String reservationId, BigDecimal actualUsd) {
                real.settle(reservationId, actualUsd);
            }

            @Override
            public void release(String reservationId) {
                real.release(reservationId);
            }

            @Override
            public io.llmservice.spi.BudgetStanding standing(String budget, String periodKey, Instant now) {
                return real.standing(budget, periodKey, now);
            }
        };
        io.llmservice.spi.TelemetryStore failingLedgerStore = new ForwardingTelemetryStore(store) {
            @Override
            public io.llmservice.spi.BudgetLedger ledger() {
                return failing;
            }
        };
        llm = Services.build(hardTeamBudget("1.00").build(), scripts.provider(), failingLedgerStore, clock,
                Sleeper.real(), warningListener);

        assertThatThrownBy(() -> llm.route(review("reviewer")).execute()).isInstanceOf(LlmServiceException.class)
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE))
                .hasMessageContaining("budget 'team-daily' could not be checked").hasCause(broken);
        assertThat(scripts.invocations).as("nothing ran without a reservation").isEmpty();
        assertThat(store.all()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.BUDGET_BLOCKED);
            assertThat(r.tool()).isEqualTo("claude");
            assertThat(r.errorCode()).contains("LLM-022");
            assertThat(r.errorSummary()).contains("database is locked");
        });
    }

    @Test
    void budgetOutOfScope_doesNotCount() {
        answerWithCost("claude", "0.01");
        start(models().budget("opus-only", scope(ScopeKind.MODEL, "opus"), BudgetPeriod.DAILY, "0.001",
                LimitType.HARD, OnExceed.BLOCK));
        LlmResponse r = llm.route(review("reviewer")).execute();
        assertThat(store.findByRequest(r.requestId())).singleElement()
                .satisfies(rec -> assertThat(rec.reservedUsd()).isEmpty());
    }

    @Test
    void staleReservationOfADeadProcess_isChargedAtExpiry_andShownInTheBudgetStatus() {
        answerWithCost("claude", "0.01");
        start(hardTeamBudget("0.05"));
        Instant now = clock.instant();
        // another process reserved $0.045 and died before settling
        store.ledger().reserve(new ReservationRequest("team-daily", DAY, new BigDecimal("0.05"), true,
                new BigDecimal("0.045"), "dead-process", now, now.plus(Duration.ofMinutes(11))));

        assertThatThrownBy(() -> llm.route(review("solo")).execute()).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("reserved $0.045");
        clock.advance(Duration.ofMinutes(11));
        // charged as spent at its reserved amount: the room does not come back
        assertThatThrownBy(() -> llm.route(review("solo")).execute()).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("spent $0.045, reserved $0");
        assertThat(llm.budgets()).singleElement().satisfies(b -> {
            assertThat(b.spentUsd()).isEqualByComparingTo("0.045");
            assertThat(b.expiryChargedUsd()).isEqualByComparingTo("0.045");
            assertThat(b.expiryCharges()).isEqualTo(1);
        });
    }

    @Test
    void midnightInBerlin_startsAFreshDailyBudget() {
        answerWithCost("claude", "0.01");
        clock.set(Instant.parse("2026-11-30T22:59:00Z")); // 23:59 in Berlin
        start(hardTeamBudget("0.01").timezone(ZoneId.of("Europe/Berlin")));
        llm.route(review("solo")).execute();
        assertThatThrownBy(() -> llm.route(review("solo")).execute()).isInstanceOf(BudgetExceededException.class)
                .hasMessageContaining("(daily 2026-11-30)");

        clock.set(Instant.parse("2026-11-30T23:00:00Z")); // midnight in Berlin, still Nov 30 in UTC
        assertThat(llm.route(review("solo")).execute().text()).isEqualTo("ok");
        assertThat(spent()).isEqualByComparingTo("0.01");
    }

    // ---- estimates ----------------------------------------------------------------------------

    @Test
    void reservation_isTheRealisticEstimate_soAnAffordableCallIsNotRefused() {
        String prompt = "Review this change. ".repeat(1_000);
        long tokens = new HeuristicTokenEstimator().estimate(prompt);
        TestConfigs configs = TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .agent("solo", "platform", "claude", "sonnet")
                .budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "0.10",
                        LimitType.HARD, OnExceed.BLOCK);
        BigDecimal estimate = new CostEstimator().estimateUsd(configs.build().models().get("sonnet"), tokens);
        // fits the $0.10 budget; a worst case of the prompt plus a 64k-token answer (~$1) would not
        assertThat(estimate).isLessThan(new BigDecimal("0.10"));
        answerWithCost("claude", "0.002");
        start(configs);

        LlmResponse r = llm.route(LlmRequest.builder(prompt).agent("solo").build()).execute();

        assertThat(store.findByRequest(r.requestId())).singleElement().satisfies(rec ->
                assertThat(rec.reservedUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo(estimate)));
    }

    @Test
    void reservation_isCappedAtTheMaximumPerRequest_andTheGapShowsAsOverrun() {
        TestConfigs configs = TestConfigs.create()
                .model("giant", Tier.PREMIUM, 200_000, "0", "100000") // 256 tokens out = $25.60
                .tool("claude", ScriptedAdapter.TYPE, "giant")
                .agent("solo", "platform", "claude", "giant")
                .budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "100",
                        LimitType.HARD, OnExceed.BLOCK);
        answerWithCost("claude", "25.60");
        LlmResponse r = start(configs).route(review("solo")).execute();
        assertThat(store.findByRequest(r.requestId())).singleElement().satisfies(rec -> {
            assertThat(rec.reservedUsd()).hasValueSatisfying(v ->
                    assertThat(v).isEqualByComparingTo(io.llmservice.config.Policies.DEFAULT_MAX_RESERVATION));
            assertThat(rec.costUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("25.60"));
        });
        assertThat(spent()).isEqualByComparingTo("25.60");
    }

    /** A model whose short-prompt estimate is $0.0077: no input price, 256 output tokens at $30.078125 per million. */
    private static TestConfigs underEstimated(String limit) {
        return TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "0", "30.078125")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .agent("solo", "platform", "claude", "sonnet")
                .agent("other", "platform", "claude", "sonnet")
                .budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, limit,
                        LimitType.HARD, OnExceed.BLOCK);
    }

    private BigDecimal reservedFor(LlmResponse r) {
        return store.findByRequest(r.requestId()).get(0).reservedUsd().orElseThrow();
    }

    @Test
    void reservation_sizedFromHistory_coversTheRecentActualCostOfThatAgentToolAndModel() {
        answerWithCost("claude", "0.0125");
        start(underEstimated("1"));

        LlmResponse first = llm.route(review("solo")).execute();
        llm.route(review("solo")).execute();
        llm.route(review("solo")).execute();
        LlmResponse next = llm.route(review("solo")).execute();
        LlmResponse otherAgent = llm.route(review("other")).execute();

        assertThat(reservedFor(first)).isEqualByComparingTo("0.0077");   // no history yet: the prompt estimate
        assertThat(reservedFor(next)).isGreaterThanOrEqualTo(new BigDecimal("0.0125"));
        assertThat(reservedFor(otherAgent)).isEqualByComparingTo("0.0077");   // history is per agent/tool/model
        assertThat(spent()).isEqualByComparingTo("0.0625");
    }

    @Test
    void reservation_fromHistory_isTheP95OfTheLastSettledCalls() {
        assertThat(BudgetStep.nearestRank(List.of(new BigDecimal("0.01")), 95)).isEqualByComparingTo("0.01");
        List<BigDecimal> costs = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            costs.add(new BigDecimal(i).movePointLeft(3));   // 0.001 … 0.050
        }
        java.util.Collections.shuffle(costs, new java.util.Random(7));
        assertThat(BudgetStep.nearestRank(costs, 95)).isEqualByComparingTo("0.048");   // rank ceil(47.5) = 48
    }

    @Test
    void reservation_underAHardLimit_historyKeepsConcurrentCallsWithinTheLimit() throws Exception {
        answerWithCost("claude", "0.0125");
        start(underEstimated("0.51"));
        for (int i = 0; i < 4; i++) {
            llm.route(review("solo")).execute();   // history: the calls cost $0.0125, not the $0.0077 estimated
        }

        hammer(64, 4, "solo");

        // every reservation now covers the actual cost, so the limit holds: 40 calls of $0.0125 fit in $0.51,
        // a 41st does not (reserving the $0.0077 estimate would have admitted it and spent $0.5125)
        assertThat(spent()).isEqualByComparingTo("0.50");
        assertThat(store.all().stream().filter(r -> r.outcome() == Outcome.SUCCESS)).hasSize(40);
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void reservation_budgetReserveUsd_isTheLeastReserved_andTheCapStillApplies() {
        answerWithCost("claude", "0.01");
        start(models().maxReservation("0.04")
                .budget(new BudgetDefinition("team-daily", "limit", scope(ScopeKind.TEAM, "platform"),
                        BudgetPeriod.DAILY, new BigDecimal("1"), LimitType.HARD, BudgetDefinition.DEFAULT_WARN_AT,
                        OnExceed.BLOCK, Optional.of(new BigDecimal("0.03"))))
                .budget(new BudgetDefinition("haiku-daily", "limit", scope(ScopeKind.MODEL, "haiku"),
                        BudgetPeriod.DAILY, new BigDecimal("1"), LimitType.HARD, BudgetDefinition.DEFAULT_WARN_AT,
                        OnExceed.BLOCK, Optional.of(new BigDecimal("0.50")))));

        LlmResponse sonnet = llm.route(review("solo")).execute();
        assertThat(reservedFor(sonnet)).isEqualByComparingTo("0.03");   // the haiku budget does not apply

        LlmResponse haiku = llm.route(LlmRequest.builder("Review this diff").agent("solo").model("haiku").build())
                .execute();
        assertThat(reservedFor(haiku)).isEqualByComparingTo("0.04");   // 0.50 capped by max_reservation_usd
    }

    @Test
    void unknownCost_settlesTheEstimate() {
        scripts.answer("claude", "ok", Usage.unknown(), null);
        start(hardTeamBudget("1"));
        llm.route(review("solo")).execute();
        assertThat(spent()).isEqualByComparingTo(CENT);
    }

    // ---- soft limits ------------------------------------------------------------------------

    @Test
    void soft_runsPastTheLimit_andWarnsExactlyOncePerCrossing() {
        answerWithCost("claude", "0.01");
        start(models().budget(new BudgetDefinition("team-daily", "limit", scope(ScopeKind.TEAM, "platform"),
                BudgetPeriod.DAILY, new BigDecimal("0.03"), LimitType.SOFT, new BigDecimal("0.5"), OnExceed.BLOCK)));
        for (int i = 0; i < 6; i++) {
            llm.route(review("solo")).execute();
        }
        assertThat(spent()).isEqualByComparingTo("0.06");
        assertThat(warnings).containsExactly(
                "LLM-020 budget 'team-daily' (daily 2026-12-01) reached 50% of its soft limit of $0.03:"
                        + " committed $0.02 (spent $0.01, reserved $0.01)",
                "LLM-020 budget 'team-daily' (daily 2026-12-01) is over its soft limit of $0.03:"
                        + " committed $0.04 (spent $0.03, reserved $0.01)");
    }

    @Test
    void soft_underConcurrency_stillOneWarningPerCrossing() throws Exception {
        answerWithCost("claude", "0.01");
        start(models().budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "0.50",
                LimitType.SOFT, OnExceed.BLOCK));
        List<Object> outcomes = hammer(32, 4, "solo");
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(LlmResponse.class));
        assertThat(spent()).isEqualByComparingTo("1.28");
        // two threads may report the two crossings in either order, but each exactly once
        assertThat(warnings).hasSize(2)
                .anySatisfy(w -> assertThat(w).contains("reached 80% of its soft limit of $0.50: committed $0.40"))
                .anySatisfy(w -> assertThat(w).contains("is over its soft limit of $0.50: committed $0.51"));
    }

    // ---- downgrade --------------------------------------------------------------------------

    private TestConfigs downgradeBudget(String limit) {
        return models().budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, limit,
                LimitType.HARD, OnExceed.DOWNGRADE);
    }

    @Test
    void downgrade_servesTheClosestCheaperModelThatFits_andSaysSo() {
        answerWithCost("claude", "0.01");
        start(downgradeBudget("0.015"));
        llm.route(review("reviewer")).execute();
        answerWithCost("claude", "0.001");

        LlmResponse r = llm.route(review("reviewer")).execute();

        assertThat(r.tool()).isEqualTo("claude");
        assertThat(r.model()).isEqualTo("haiku");
        assertThat(scripts.invocations.get(1).modelId()).isEqualTo("haiku");
        assertThat(store.findByRequest(r.requestId())).singleElement().satisfies(rec -> {
            assertThat(rec.model()).isEqualTo("haiku");
            assertThat(rec.reservedUsd()).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.001"));
        });
        assertThat(warnings).last().isEqualTo("LLM-020 budget 'team-daily' (daily 2026-12-01) refused the request:"
                + " limit $0.015, spent $0.01, reserved $0, this request needs ~$0.01;"
                + " downgraded claude/sonnet to claude/haiku (~$0.001)");
        assertThat(spent()).isEqualByComparingTo("0.011");
    }

    @Test
    void downgrade_nothingFitsOnAnyCandidate_refusesWithTheFirstRefusal() {
        answerWithCost("claude", "0.01");
        answerWithCost("codex-cli", "0.01");
        start(downgradeBudget("0.0105"));
        llm.route(review("reviewer")).execute();

        assertThatThrownBy(() -> llm.route(review("reviewer")).execute())
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> assertThat(e.getMessage())
                        .startsWith("budget 'team-daily' (daily 2026-12-01) refused the request")
                        .endsWith("this request needs ~$0.01"));
        assertThat(scripts.invocations).hasSize(1);
        assertThat(store.all()).filteredOn(r -> r.outcome() == Outcome.BUDGET_BLOCKED)
                .extracting(InvocationRecord::tool).containsExactly("claude", "codex-cli");
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void downgrade_blockBudgetRefusal_isFinal() {
        answerWithCost("claude", "0.01");
        start(downgradeBudget("1").budget("global", Scope.global(), BudgetPeriod.MONTHLY, "0.015",
                LimitType.HARD, OnExceed.BLOCK));
        llm.route(review("reviewer")).execute();
        assertThatThrownBy(() -> llm.route(review("reviewer")).execute())
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.policy()).isEqualTo("global");
                    assertThat(e.period()).isEqualTo("monthly 2026-12");
                });
        assertThat(scripts.invocations).hasSize(1);
        assertThat(store.ledger().liveReservations()).isZero();
    }
}
