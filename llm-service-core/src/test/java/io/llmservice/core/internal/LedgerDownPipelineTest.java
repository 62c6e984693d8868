package io.llmservice.core.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.StoreUnreachableException;
import io.llmservice.Usage;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.config.WhenDown;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.ForwardingTelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.llmservice.core.internal.TestConfigs.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What a call does when the budget ledger's store cannot be reached, with a ledger that fails the
 * way a dead server does (every call throws {@code TELEMETRY_STORE}) while the invocation log still
 * takes records (its writer retries): a hard budget refuses and nothing runs; a soft one refuses
 * too unless {@code when_down: run}, then it runs and says so; a settle that fails after the call
 * ran never costs the caller the answer.
 */
class LedgerDownPipelineTest {
    private static final String DAY = "daily:2026-12-01";

    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts();
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final DeadServerLedger ledger = new DeadServerLedger(store.ledger());
    private LlmService llm;

    private final LlmServiceListener warningListener = new LlmServiceListener() {
        @Override
        public void onWarning(ErrorCode code, String message) {
            warnings.add(code.id() + " " + message);
        }
    };

    /**
     * Forwards to a working ledger until told which operations fail; a failing one throws what a
     * store whose server went away throws (the URL in the message, never a password).
     */
    static final class DeadServerLedger implements BudgetLedger {
        private final BudgetLedger real;
        volatile boolean reserveDown;
        volatile boolean settleDown;
        /** How many of the next settles fail (then the store is back). */
        final AtomicInteger settlesToFail = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        DeadServerLedger(BudgetLedger real) {
            this.real = real;
        }

        private LlmServiceException dead(String operation) {
            failures.incrementAndGet();
            return new StoreUnreachableException("budget ledger at jdbc:postgresql://db/llm"
                    + " (user llm): could not " + operation + ": Connection to db:5432 refused", null);
        }

        /** The server answers, but the period row stays locked (what 55P03 after every retry reads like). */
        volatile boolean reserveLockedOut;

        @Override
        public ReservationOutcome reserve(ReservationRequest request) {
            if (reserveDown) {
                throw dead("reserve");
            }
            if (reserveLockedOut) {
                throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "budget ledger at jdbc:postgresql://db/llm"
                        + " (user llm): could not reserve: ERROR: canceling statement due to lock timeout");
            }
            return real.reserve(request);
        }

        @Override
        public void settle(String reservationId, BigDecimal actualUsd) {
            if (settleDown || settlesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw dead("settle");
            }
            real.settle(reservationId, actualUsd);
        }

        @Override
        public void release(String reservationId) {
            if (settleDown) {
                throw dead("release");
            }
            real.release(reservationId);
        }

        @Override
        public BudgetStanding standing(String budget, String periodKey, Instant now) {
            if (settleDown || reserveDown) {
                throw dead("read the standing");
            }
            return real.standing(budget, periodKey, now);
        }

        @Override
        public List<BigDecimal> recentCosts(String agent, String tool, String model, int limit) {
            if (reserveDown) {
                throw dead("read recent costs");
            }
            return real.recentCosts(agent, tool, model, limit);
        }
    }

    private static TestConfigs models() {
        return TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "0", "39.0625")
                .model("codex", Tier.STANDARD, 200_000, "0", "39.0625")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .tool("codex-cli", ScriptedAdapter.TYPE, "codex")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"));
    }

    private static TestConfigs budget(TestConfigs c, String name, LimitType type) {
        return c.budget(name, scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "1.00", type, OnExceed.BLOCK);
    }

    private void start(TestConfigs configs) {
        TelemetryStore deadLedgerStore = new ForwardingTelemetryStore(store) {
            @Override
            public BudgetLedger ledger() {
                return ledger;
            }
        };
        llm = Services.build(configs.build(), scripts.provider(), deadLedgerStore, clock, Sleeper.real(),
                warningListener);
    }

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
    }

    private LlmResponse review() {
        return llm.route(LlmRequest.builder("Review this diff").agent("reviewer").build()).execute();
    }

    private void answer(String tool, String usd) {
        scripts.answer(tool, "ok", Usage.of(10, 256, 0, 0), new BigDecimal(usd));
    }

    @Test
    void hardBudget_storeDown_refusedWithBudgetUnavailable_nothingRan_noFallback() {
        answer("claude", "0.01");
        answer("codex-cli", "0.01");
        start(budget(models(), "team-daily", LimitType.HARD).whenDown(WhenDown.RUN));
        ledger.reserveDown = true;

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
        assertThat(e.retriable()).isFalse();
        assertThat(e).hasMessage("budget 'team-daily' could not be checked: the telemetry store (memory at unused)"
                + " could not be reached (budget ledger at jdbc:postgresql://db/llm (user llm): could not reserve:"
                + " Connection to db:5432 refused); nothing ran: a hard budget never runs unmetered; retry when"
                + " the store is back");
        assertThat(e.getCause()).isInstanceOf(LlmServiceException.class)
                .extracting(c -> ((LlmServiceException) c).code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
        assertThat(scripts.invocations).as("neither the tool nor its fallback ran").isEmpty();
        assertThat(store.all()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.BUDGET_BLOCKED);
            assertThat(r.tool()).isEqualTo("claude");
            assertThat(r.errorCode()).contains("LLM-022");
            assertThat(r.reservedUsd()).isEmpty();
        });
    }

    @Test
    void softBudget_whenDownRefuse_refusedLikeHard() {
        answer("claude", "0.01");
        start(budget(models(), "team-soft", LimitType.SOFT));   // when_down defaults to refuse
        ledger.reserveDown = true;

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("budget 'team-soft' could not be checked")
                .endsWith("nothing ran: soft budgets refuse while the store is down (policies.telemetry.when_down:"
                        + " refuse); retry when the store is back, or set when_down: run to let soft budgets run"
                        + " unmetered");
        assertThat(scripts.invocations).isEmpty();
    }

    @Test
    void softBudget_whenDownRun_runsUnmetered_andTheResponseSaysSo() {
        answer("claude", "0.02");
        start(budget(models(), "team-soft", LimitType.SOFT).whenDown(WhenDown.RUN));
        ledger.reserveDown = true;

        LlmResponse r = review();

        assertThat(r.text()).isEqualTo("ok");
        assertThat(scripts.invocations).hasSize(1);
        String expected = "budget 'team-soft' could not be checked: the telemetry store (memory at unused) could not"
                + " be reached (budget ledger at jdbc:postgresql://db/llm (user llm): could not reserve:"
                + " Connection to db:5432 refused); the call runs unmetered: no spend is reserved in this soft budget"
                + " (policies.telemetry.when_down: run)";
        assertThat(r.warnings()).contains(expected);
        assertThat(warnings).containsExactly("LLM-022 " + expected);
        assertThat(store.all()).singleElement().satisfies(rec -> {
            assertThat(rec.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(rec.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.02"));
            assertThat(rec.reservedUsd()).as("nothing was reserved").isEmpty();
        });
        ledger.reserveDown = false;
        assertThat(store.ledger().standing("team-soft", DAY, clock.instant()).committedUsd()).isZero();
    }

    @Test
    void softBudget_whenDownRun_storeReachedButFailing_refuses_andSaysWhatFailed() {
        answer("claude", "0.02");
        start(budget(models(), "team-soft", LimitType.SOFT).whenDown(WhenDown.RUN));
        ledger.reserveLockedOut = true;

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
        assertThat(e).hasMessage("budget 'team-soft' could not be checked: the telemetry store (memory at unused)"
                + " failed: budget ledger at jdbc:postgresql://db/llm (user llm): could not reserve: ERROR: canceling"
                + " statement due to lock timeout; nothing ran: the store was reached, so policies.telemetry.when_down"
                + " does not apply; retry, and if it persists see the store's log");
        assertThat(e.getCause()).isInstanceOf(LlmServiceException.class)
                .isNotInstanceOf(StoreUnreachableException.class);
        assertThat(scripts.invocations).as("a busy store does not let a soft budget run unmetered").isEmpty();
        assertThat(warnings).isEmpty();
        assertThat(store.all()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.BUDGET_BLOCKED);
            assertThat(r.errorCode()).contains("LLM-022");
        });
    }

    @Test
    void hardBudget_storeReachedButFailing_refusedSayingWhatFailed_notUnreachable() {
        answer("claude", "0.01");
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.reserveLockedOut = true;

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("budget 'team-daily' could not be checked: the telemetry store"
                + " (memory at unused) failed: ").doesNotContain("could not be reached");
        assertThat(scripts.invocations).isEmpty();
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void softRunAndHard_bothApply_theHardOneRefuses_andNothingStaysReserved() {
        answer("claude", "0.01");
        start(budget(budget(models(), "team-soft", LimitType.SOFT), "team-hard", LimitType.HARD)
                .whenDown(WhenDown.RUN));
        ledger.reserveDown = true;

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("budget 'team-hard' could not be checked");
        assertThat(scripts.invocations).isEmpty();
        assertThat(warnings).as("the soft budget's run-unmetered note is not shown for a call that did not run")
                .isEmpty();
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void settleFails_afterTheCallRan_theCallerGetsTheAnswer_andTheRecordKeepsTheCost() {
        answer("claude", "0.03");
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.settleDown = true;

        LlmResponse first = review();
        LlmResponse second = review();

        assertThat(first.text()).isEqualTo("ok");
        assertThat(second.text()).isEqualTo("ok");
        assertThat(ledger.failures.get()).as("each settle was tried").isGreaterThanOrEqualTo(2);
        assertThat(store.all()).hasSize(2).allSatisfy(rec -> {
            assertThat(rec.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(rec.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.03"));
            assertThat(rec.reservedUsd()).isPresent();
        });
    }

    @Test
    void settleFailsThreeTimes_thenTheStoreIsBack_theRetryLandsAtTheActualCost_noExpiryCharge() throws Exception {
        answer("claude", "0.03");   // more than the reservation: an expiry charge at the reserved amount would under-count
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.settlesToFail.set(3);

        LlmResponse r = review();

        assertThat(r.text()).isEqualTo("ok");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.ledger().liveReservations() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(store.ledger().liveReservations()).as("settled by a retry, within 60 s").isZero();
        assertThat(ledger.failures).as("three failed tries, then the one that landed").hasValue(3);
        BudgetStanding s = store.ledger().standing("team-daily", DAY, clock.instant());
        assertThat(s.spentUsd()).isEqualByComparingTo("0.03");
        assertThat(s.expiryCharges()).isZero();
    }

    @Test
    void settleFails_storeBackByClose_closeLandsIt_atTheActualCost() {
        answer("claude", "0.03");
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.settleDown = true;
        review();
        review();

        ledger.settleDown = false;
        llm.close();

        assertThat(store.ledger().liveReservations()).isZero();
        BudgetStanding s = store.ledger().standing("team-daily", DAY, clock.instant());
        assertThat(s.spentUsd()).isEqualByComparingTo("0.06");
        assertThat(s.expiryCharges()).isZero();
    }

    @Test
    void settleStillFailingAtClose_theReservationIsChargedAtExpiry_atTheCostItsRecordShows() {
        answer("claude", "0.03");
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.settleDown = true;
        review();
        review();

        llm.close();   // one last try each, which fails: bounded, not stuck

        ledger.settleDown = false;
        assertThat(store.ledger().liveReservations()).isEqualTo(2);
        // ... and are then charged at the cost their invocation records show, not forgotten.
        clock.advance(Duration.ofMinutes(30));
        assertThat(store.ledger().standing("team-daily", DAY, clock.instant()).spentUsd())
                .isEqualByComparingTo("0.06");
        assertThat(store.ledger().liveReservations()).isZero();
    }

    @Test
    void sharedRateLimitStoreDown_theCallFailsWithTheStoreError_andNothingRuns() {
        answer("claude", "0.01");
        LlmServiceException dead = new LlmServiceException(ErrorCode.TELEMETRY_STORE,
                "rate limits at jdbc:postgresql://db/llm (user llm): Connection to db:5432 refused");
        TelemetryStore deadRateLimits = new ForwardingTelemetryStore(store) {
            @Override
            public java.util.Optional<io.llmservice.spi.RateLimitLedger> rateLimits() {
                return java.util.Optional.of((takes, now) -> {
                    throw dead;
                });
            }
        };
        llm = Services.build(budget(models(), "team-soft", LimitType.SOFT).whenDown(WhenDown.RUN)
                        .rateLimit(new io.llmservice.config.RateLimitDefinition(io.llmservice.config.Scope.global(), 10,
                                0, io.llmservice.config.OnLimit.FAIL, Duration.ofSeconds(30))).build(),
                scripts.provider(), deadRateLimits, clock, Sleeper.real(), warningListener);

        LlmServiceException e = catchThrowableOfType(LlmServiceException.class, this::review);

        assertThat(e).isSameAs(dead);
        assertThat(scripts.invocations).as("when_down is about budgets: a rate limit that cannot be checked refuses")
                .isEmpty();
    }

    @Test
    void storeBack_budgetsAreCheckedAgain() {
        answer("claude", "0.01");
        start(budget(models(), "team-daily", LimitType.HARD));
        ledger.reserveDown = true;
        catchThrowableOfType(LlmServiceException.class, this::review);

        ledger.reserveDown = false;
        review();

        assertThat(store.ledger().standing("team-daily", DAY, clock.instant()).spentUsd())
                .isEqualByComparingTo("0.01");
    }
}
