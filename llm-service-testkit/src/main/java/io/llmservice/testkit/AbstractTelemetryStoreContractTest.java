package io.llmservice.testkit;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link TelemetryStore} must keep, as JUnit 5 tests. Extend it and say how
 * to open a fresh, empty store:
 *
 * <pre>{@code
 * class MyStoreContractTest extends AbstractTelemetryStoreContractTest {
 *     protected TelemetryStore createStore(Clock clock) { return new MyStore(clock); }
 * }
 * }</pre>
 *
 * <p>Checked: a record comes back from {@link TelemetryStore#findByRequest} with every field
 * (unknown usage stays unknown, not zero); the ledger's check-and-reserve is atomic under 64
 * threads (settled spend never passes a hard limit and no reservation leaks), settle and release
 * are idempotent, expired reservations are charged as spent (at the recorded cost when the
 * invocation record made it) and a late settle or release replaces the charge; stats follow
 * {@link StatsRow}'s definitions on a small known data set (periods in the query's zone, across a
 * DST change; nearest-rank percentiles); {@link TelemetryStore#deleteOlderThan} deletes exactly the
 * older records. Stores created here are closed after each test.
 *
 * <p>Not thread-safe; JUnit creates one instance per test method.
 */
public abstract class AbstractTelemetryStoreContractTest {
    /** The fixed time of the tests: Tuesday 2026-12-01 10:00 UTC, ISO week 2026-W49. */
    protected static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final BigDecimal CENT = new BigDecimal("0.01");

    private final List<TelemetryStore> created = new ArrayList<>();

    /** A new, empty store whose time-dependent parts use {@code clock}. */
    protected abstract TelemetryStore createStore(Clock clock);

    /** A new, empty store on a fixed clock at {@link #T0}. */
    protected final TelemetryStore store() {
        TelemetryStore s = createStore(Clock.fixed(T0, ZoneOffset.UTC));
        created.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        created.forEach(TelemetryStore::close);
    }

    // ---------------------------------------------------------------- invocation log

    @Test
    void record_flush_findByRequest_roundTripsEveryField() {
        TelemetryStore store = store();
        InvocationRecord full = InvocationRecord.builder().requestId("req-1").attempt(1)
                .startedAt(Instant.parse("2026-12-01T10:00:00.123456789Z")).agent("code-reviewer").team("platform")
                .tool("claude-code").model("claude-sonnet-4-5").outcome(Outcome.FAILED).exitCode(2)
                .usage(Usage.of(1200, 340, 5000, 60)).costUsd(new BigDecimal("0.0123"))
                .costSource(CostSource.TOOL_REPORTED).reservedUsd(new BigDecimal("0.0100"))
                .latency(Duration.ofMillis(1234).plusNanos(5)).errorCode("LLM-032")
                .errorSummary("tool exited with status 2").promptText("Review [REDACTED] ✓")
                .responseText("Looks good").label("ticket", "OPS-1").label("env", "ci").build();
        // every optional part empty, usage partly unknown
        InvocationRecord unknown = InvocationRecord.builder().requestId("req-1").attempt(2)
                .startedAt(Instant.parse("2026-12-01T10:00:02Z")).agent("code-reviewer").tool("codex")
                .model("gpt-5-codex").outcome(Outcome.SUCCESS)
                .usage(Usage.of(OptionalLong.of(10), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(0)))
                .latency(Duration.ZERO).build();
        store.record(unknown);
        store.record(full);
        store.flush();

        List<InvocationRecord> found = store.findByRequest("req-1");

        assertThat(found).hasSize(2);
        assertSameRecord(found.get(0), full);
        assertSameRecord(found.get(1), unknown);
        assertThat(found.get(1).usage().outputTokens()).isEmpty();
        assertThat(found.get(1).usage().cacheReadTokens()).isEmpty();
        assertThat(found.get(1).usage().cacheWriteTokens()).hasValue(0);
        assertThat(store.findByRequest("req-unknown")).isEmpty();
    }

    @Test
    void record_perModelBreakdown_roundTripsEachModelsShare() {
        TelemetryStore store = store();
        // claude on sonnet ran a haiku sub-agent: each model's tokens and cost, one unknown count
        InvocationRecord subAgent = InvocationRecord.builder().requestId("req-sub").attempt(1).startedAt(T0)
                .agent("coder").tool("claude-code").model("claude-sonnet-4-5").outcome(Outcome.SUCCESS)
                .usage(Usage.of(600, 50, 0, 0)).costUsd(new BigDecimal("0.00195"))
                .costSource(CostSource.TOOL_REPORTED).latency(Duration.ofMillis(900))
                .modelUsage(List.of(
                        ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0), new BigDecimal("0.00165")),
                        new ModelUsage("claude-haiku-4-5", Usage.of(OptionalLong.of(200), OptionalLong.of(20),
                                OptionalLong.empty(), OptionalLong.of(0)), Optional.of(new BigDecimal("0.0003")))))
                .build();
        InvocationRecord noBreakdown = record("req-sub", 2, T0.plusSeconds(1), "coder", null, "codex", "gpt-5-codex",
                Outcome.SUCCESS, Usage.of(1, 1, 0, 0), "0.001", 10);
        store.record(subAgent);
        store.record(noBreakdown);
        store.flush();

        List<InvocationRecord> found = store.findByRequest("req-sub");

        assertThat(found).hasSize(2);
        assertSameRecord(found.get(0), subAgent);
        assertThat(found.get(0).modelUsage()).hasSize(2);
        assertThat(found.get(1).modelUsage()).as("a tool without a breakdown has none").isEmpty();
    }

    @Test
    void stats_byModel_splitsASubAgentsTokensAndCostUnderItsModel_totalsUnchanged() {
        TelemetryStore store = store();
        // r1: sonnet with a haiku sub-agent; r2: haiku on its own; r3: sonnet, no breakdown
        store.record(InvocationRecord.builder().requestId("r1").attempt(1).startedAt(T0).agent("a").tool("claude-code")
                .model("m-sonnet").outcome(Outcome.SUCCESS).usage(Usage.of(600, 50, 10, 20))
                .costUsd(new BigDecimal("0.0020")).costSource(CostSource.TOOL_REPORTED).latency(Duration.ofMillis(900))
                .modelUsage(List.of(ModelUsage.of("m-sonnet", Usage.of(400, 30, 10, 20), new BigDecimal("0.0017")),
                        ModelUsage.of("m-haiku", Usage.of(200, 20, 0, 0), new BigDecimal("0.0003"))))
                .build());
        store.record(record("r2", 1, T0.plusSeconds(5), "a", null, "claude-code", "m-haiku", Outcome.SUCCESS,
                Usage.of(7, 3, 0, 0), "0.0001", 100));
        store.record(record("r3", 1, T0.plusSeconds(9), "a", null, "claude-code", "m-sonnet", Outcome.SUCCESS,
                Usage.of(5, 5, 0, 0), "0.001", 300));
        store.flush();

        List<StatsRow> byModel = store.stats(query(StatsPeriod.MONTH, StatsDimension.MODEL, ZoneOffset.UTC)).rows();

        assertThat(byModel).hasSize(2);
        // haiku: r2 itself, and r1's sub-agent (the request counts, the attempt and its latency do not)
        assertRow(byModel.get(0), "2026-12", "m-haiku", 2, 2, 1, 207, 23, 0, 0, "0.0004", 100, 100);
        // sonnet: r1 without its sub-agent's share, and r3
        assertRow(byModel.get(1), "2026-12", "m-sonnet", 2, 2, 2, 405, 35, 10, 20, "0.0027", 300, 900);
        List<StatsRow> byAgent = store.stats(query(StatsPeriod.MONTH, StatsDimension.AGENT, ZoneOffset.UTC)).rows();
        assertRow(byAgent.get(0), "2026-12", "a", 3, 3, 3, 612, 58, 10, 20, "0.0031", 300, 900);
    }

    @Test
    void record_refusalAttemptZero_isKept() {
        TelemetryStore store = store();
        InvocationRecord refused = record("req-0", 0, T0, "a", "t", "", "", Outcome.BUDGET_BLOCKED, null, null, 1);
        store.record(refused);
        assertSameRecord(store.findByRequest("req-0").get(0), refused);
    }

    /** Asserts two records are the same, comparing decimals by value (a store may keep another scale). */
    protected static void assertSameRecord(InvocationRecord actual, InvocationRecord expected) {
        assertThat(actual.requestId()).isEqualTo(expected.requestId());
        assertThat(actual.attempt()).isEqualTo(expected.attempt());
        assertThat(actual.startedAt()).isEqualTo(expected.startedAt());
        assertThat(actual.agent()).isEqualTo(expected.agent());
        assertThat(actual.team()).isEqualTo(expected.team());
        assertThat(actual.tool()).isEqualTo(expected.tool());
        assertThat(actual.model()).isEqualTo(expected.model());
        assertThat(actual.outcome()).isEqualTo(expected.outcome());
        assertThat(actual.exitCode()).isEqualTo(expected.exitCode());
        assertThat(actual.usage()).isEqualTo(expected.usage());
        assertSameDecimal(actual.costUsd(), expected.costUsd());
        assertThat(actual.costSource()).isEqualTo(expected.costSource());
        assertSameDecimal(actual.reservedUsd(), expected.reservedUsd());
        assertThat(actual.latency()).isEqualTo(expected.latency());
        assertThat(actual.errorCode()).isEqualTo(expected.errorCode());
        assertThat(actual.errorSummary()).isEqualTo(expected.errorSummary());
        assertThat(actual.promptText()).isEqualTo(expected.promptText());
        assertThat(actual.responseText()).isEqualTo(expected.responseText());
        assertThat(actual.labels()).isEqualTo(expected.labels());
        assertThat(actual.modelUsage()).extracting(ModelUsage::model, ModelUsage::usage)
                .as("each model's share").containsExactlyInAnyOrderElementsOf(expected.modelUsage().stream()
                        .map(m -> org.assertj.core.groups.Tuple.tuple(m.model(), m.usage())).toList());
        for (ModelUsage e : expected.modelUsage()) {
            ModelUsage a = actual.modelUsage().stream().filter(m -> m.model().equals(e.model())).findFirst()
                    .orElseThrow();
            assertSameDecimal(a.costUsd(), e.costUsd());
        }
    }

    private static void assertSameDecimal(Optional<BigDecimal> actual, Optional<BigDecimal> expected) {
        assertThat(actual.isPresent()).as("present").isEqualTo(expected.isPresent());
        expected.ifPresent(e -> assertThat(actual.get()).isEqualByComparingTo(e));
    }

    // ---------------------------------------------------------------- ledger

    @Test
    void ledger_64ThreadsHammerOneHardLimit_settledNeverExceedsLimitAndNothingLeaks() throws Exception {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = new BigDecimal("1.00");
        AtomicInteger granted = new AtomicInteger();
        runConcurrently(64, 4, () -> {
            ReservationOutcome o = ledger.reserve(reservation("hammer", limit, CENT, T0));
            if (o.granted()) {
                granted.incrementAndGet();
                assertThat(o.before().committedUsd().add(CENT)).isLessThanOrEqualTo(limit);
                ledger.settle(o.reservationId().get(), CENT);
            }
        });

        BudgetStanding s = ledger.standing("hammer", "daily:2026-12-01", T0);
        assertThat(granted.get()).isEqualTo(100);
        assertThat(s.spentUsd()).isEqualByComparingTo(limit);
        assertThat(s.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void ledger_failingCallsRelease_everyReservationComesBack() throws Exception {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = new BigDecimal("0.10");
        runConcurrently(16, 4, () -> {
            ReservationOutcome o = ledger.reserve(reservation("failing", limit, CENT, T0));
            o.reservationId().ifPresent(ledger::release);
        });
        BudgetStanding s = ledger.standing("failing", "daily:2026-12-01", T0);
        assertThat(s.spentUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(s.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(ledger.reserve(reservation("failing", limit, limit, T0)).granted()).isTrue();
    }

    @Test
    void ledger_refusal_reservesNothing_andReportsStandingBefore() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = new BigDecimal("0.05");
        ReservationOutcome first = ledger.reserve(reservation("b", limit, new BigDecimal("0.04"), T0));
        ReservationOutcome refused = ledger.reserve(reservation("b", limit, new BigDecimal("0.02"), T0));

        assertThat(first.granted()).isTrue();
        assertThat(refused.granted()).isFalse();
        assertThat(refused.reservationId()).isEmpty();
        assertThat(refused.before().reservedUsd()).isEqualByComparingTo("0.04");
        assertThat(ledger.standing("b", "daily:2026-12-01", T0).reservedUsd()).isEqualByComparingTo("0.04");
        assertThat(ledger.reserve(reservation("b", limit, new BigDecimal("0.01"), T0)).granted()).isTrue();
    }

    @Test
    void ledger_softLimit_alwaysGranted() {
        BudgetLedger ledger = store().ledger();
        ReservationRequest soft = new ReservationRequest("soft", "daily:2026-12-01", CENT, false, BigDecimal.ONE, "r",
                T0, T0.plusSeconds(600));
        assertThat(ledger.reserve(soft).granted()).isTrue();
        assertThat(ledger.reserve(soft).granted()).isTrue();
        assertThat(ledger.standing("soft", "daily:2026-12-01", T0).reservedUsd()).isEqualByComparingTo("2");
    }

    @Test
    void ledger_settleAndRelease_areIdempotent() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = BigDecimal.ONE;
        String a = ledger.reserve(reservation("idem", limit, CENT, T0)).reservationId().orElseThrow();
        String b = ledger.reserve(reservation("idem", limit, CENT, T0)).reservationId().orElseThrow();

        ledger.settle(a, new BigDecimal("0.03"));
        ledger.settle(a, new BigDecimal("0.03"));
        ledger.release(a);
        ledger.release(b);
        ledger.release(b);
        ledger.settle(b, new BigDecimal("0.50"));
        ledger.settle("no-such-reservation", BigDecimal.TEN);
        ledger.release("no-such-reservation");

        BudgetStanding s = ledger.standing("idem", "daily:2026-12-01", T0);
        assertThat(s.spentUsd()).isEqualByComparingTo("0.03");
        assertThat(s.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
    }

    @Test
    void ledger_expiredReservation_isChargedAtItsAmount_andALateSettleReplacesTheCharge() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = new BigDecimal("0.10");
        String stale = ledger.reserve(call("exp", limit, new BigDecimal("0.04"), "dead", 1, T0, T0.plusSeconds(60)))
                .reservationId().orElseThrow();
        Instant later = T0.plusSeconds(61);

        assertThat(ledger.reserve(reservation("exp", limit, new BigDecimal("0.07"), T0.plusSeconds(59))).granted())
                .isFalse();
        BudgetStanding charged = ledger.standing("exp", "daily:2026-12-01", later);
        assertThat(charged.reservedUsd()).isEqualByComparingTo("0");
        assertThat(charged.spentUsd()).isEqualByComparingTo("0.04");
        assertThat(charged.expiryChargedUsd()).isEqualByComparingTo("0.04");
        assertThat(charged.expiryCharges()).isEqualTo(1);
        // charged, not forgotten: the room is not given back
        assertThat(ledger.reserve(reservation("exp", limit, new BigDecimal("0.07"), later)).granted()).isFalse();

        ledger.settle(stale, new BigDecimal("0.03"));
        ledger.settle(stale, new BigDecimal("0.03"));
        ledger.release(stale);
        BudgetStanding settled = ledger.standing("exp", "daily:2026-12-01", later);
        assertThat(settled.spentUsd()).isEqualByComparingTo("0.03");
        assertThat(settled.expiryChargedUsd()).isEqualByComparingTo("0");
        assertThat(settled.expiryCharges()).isZero();
    }

    @Test
    void ledger_expiredReservation_lateReleaseRefundsTheCharge() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = new BigDecimal("0.10");
        String stale = ledger.reserve(call("exp", limit, new BigDecimal("0.04"), "dead", 1, T0, T0.plusSeconds(60)))
                .reservationId().orElseThrow();
        Instant later = T0.plusSeconds(61);
        // reserving after the expiry charges it in the same step
        ReservationOutcome next = ledger.reserve(reservation("exp", limit, CENT, later));
        assertThat(next.before().spentUsd()).isEqualByComparingTo("0.04");
        assertThat(next.before().expiryCharges()).isEqualTo(1);

        ledger.release(stale);
        ledger.release(stale);
        BudgetStanding s = ledger.standing("exp", "daily:2026-12-01", later);
        assertThat(s.spentUsd()).isEqualByComparingTo("0");
        assertThat(s.reservedUsd()).isEqualByComparingTo("0.01");
        assertThat(s.expiryCharges()).isZero();
    }

    @Test
    void ledger_expiredReservation_isChargedTheCostItsInvocationRecordShows() {
        TelemetryStore store = store();
        BudgetLedger ledger = store.ledger();
        BigDecimal limit = BigDecimal.ONE;
        // the process recorded its attempts, then died before settling
        ledger.reserve(call("rec", limit, new BigDecimal("0.04"), "died-after-answer", 1, T0, T0.plusSeconds(60)));
        ledger.reserve(call("rec", limit, new BigDecimal("0.04"), "died-after-failure", 1, T0, T0.plusSeconds(60)));
        ledger.reserve(call("rec", limit, new BigDecimal("0.04"), "died-before-record", 1, T0, T0.plusSeconds(60)));
        store.record(record("died-after-answer", 1, T0, "a", null, "claude", "sonnet", Outcome.SUCCESS,
                Usage.of(10, 20, 0, 0), "0.0125", 900));
        store.record(record("died-after-failure", 1, T0, "a", null, "claude", "sonnet", Outcome.FAILED,
                null, null, 900));
        store.flush();

        BudgetStanding s = ledger.standing("rec", "daily:2026-12-01", T0.plusSeconds(61));

        assertThat(s.expiryCharges()).isEqualTo(3);
        assertThat(s.spentUsd()).isEqualByComparingTo("0.0525");   // 0.0125 recorded + 0 failed + 0.04 reserved
        assertThat(s.expiryChargedUsd()).isEqualByComparingTo("0.0525");
        assertThat(s.reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void ledger_recentCosts_newestFirst_eachCallOnce() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = BigDecimal.TEN;
        for (int i = 1; i <= 3; i++) {
            String cost = "0.0" + i;
            for (String budget : List.of("team", "global")) {
                String id = ledger.reserve(call(budget, limit, CENT, "req-" + i, 1, T0.plusSeconds(i),
                        T0.plusSeconds(600))).reservationId().orElseThrow();
                ledger.settle(id, new BigDecimal(cost));
            }
        }
        String released = ledger.reserve(call("team", limit, CENT, "req-4", 1, T0, T0.plusSeconds(600)))
                .reservationId().orElseThrow();
        ledger.release(released);

        assertThat(ledger.recentCosts("agent", "claude", "sonnet", 2)).usingElementComparator(BigDecimal::compareTo)
                .containsExactly(new BigDecimal("0.03"), new BigDecimal("0.02"));
        assertThat(ledger.recentCosts("agent", "claude", "sonnet", 50)).hasSize(3);
        assertThat(ledger.recentCosts("agent", "claude", "opus", 50)).isEmpty();
    }

    @Test
    void ledger_periodsAndBudgets_areSeparate() {
        BudgetLedger ledger = store().ledger();
        BigDecimal limit = CENT;
        assertThat(ledger.reserve(reservation("p", limit, limit, T0)).granted()).isTrue();
        assertThat(ledger.reserve(new ReservationRequest("p", "daily:2026-12-02", limit, true, limit, "r", T0,
                T0.plusSeconds(60))).granted()).isTrue();
        assertThat(ledger.reserve(reservation("q", limit, limit, T0)).granted()).isTrue();
        assertThat(ledger.standing("none", "daily:2026-12-01", T0).committedUsd()).isEqualByComparingTo("0");
    }

    private static ReservationRequest call(String budget, BigDecimal limit, BigDecimal amount, String requestId,
                                           int attempt, Instant now, Instant expiresAt) {
        return ReservationRequest.builder(budget, "daily:2026-12-01").limitUsd(limit).amountUsd(amount)
                .call(requestId, attempt, "agent", "claude", "sonnet").now(now).expiresAt(expiresAt).build();
    }

    private static ReservationRequest reservation(String budget, BigDecimal limit, BigDecimal amount, Instant now) {
        return new ReservationRequest(budget, "daily:2026-12-01", limit, true, amount, "req", now, now.plusSeconds(600));
    }

    private static void runConcurrently(int threads, int perThread, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        task.run();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- stats

    /**
     * r1: agent a (team t1) fails on m1, then succeeds on m2; r2: a refused before running;
     * r3: agent b (no team) at 23:30 UTC, usage and cost unknown; r4: b the next day.
     */
    private TelemetryStore storeWithKnownData() {
        TelemetryStore store = store();
        store.record(record("r1", 1, Instant.parse("2026-12-01T10:00:00Z"), "a", "t1", "x", "m1", Outcome.FAILED,
                Usage.of(OptionalLong.of(10), OptionalLong.of(0), OptionalLong.empty(), OptionalLong.empty()),
                "0.01", 100));
        store.record(record("r1", 2, Instant.parse("2026-12-01T10:01:00Z"), "a", "t1", "y", "m2", Outcome.SUCCESS,
                Usage.of(20, 5, 1, 2), "0.02", 200));
        store.record(record("r2", 0, Instant.parse("2026-12-01T11:00:00Z"), "a", "t1", "", "", Outcome.BUDGET_BLOCKED,
                null, null, 1));
        store.record(record("r3", 1, Instant.parse("2026-12-01T23:30:00Z"), "b", null, "x", "m1", Outcome.SUCCESS,
                null, null, 300));
        store.record(record("r4", 1, Instant.parse("2026-12-02T12:00:00Z"), "b", null, "x", "m1", Outcome.SUCCESS,
                Usage.of(1, 1, 0, 0), "0.005", 400));
        return store;
    }

    @Test
    void stats_dayByAgent_followsTheDefinitions() {
        List<StatsRow> rows = storeWithKnownData().stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC))
                .rows();
        assertThat(rows).hasSize(3);
        assertRow(rows.get(0), "2026-12-01", "a", 2, 1, 2, 30, 5, 1, 2, "0.03", 100, 200);
        assertRow(rows.get(1), "2026-12-01", "b", 1, 1, 1, 0, 0, 0, 0, "0", 300, 300);
        assertRow(rows.get(2), "2026-12-02", "b", 1, 1, 1, 1, 1, 0, 0, "0.005", 400, 400);
    }

    @Test
    void stats_dayInTheQueryZone_movesLateRecordsToTheLocalDay() {
        List<StatsRow> rows = storeWithKnownData()
                .stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneId.of("Europe/Berlin"))).rows();
        assertThat(rows).hasSize(2);
        assertRow(rows.get(0), "2026-12-01", "a", 2, 1, 2, 30, 5, 1, 2, "0.03", 100, 200);
        assertRow(rows.get(1), "2026-12-02", "b", 2, 2, 2, 1, 1, 0, 0, "0.005", 300, 400);
    }

    @Test
    void stats_monthByModel_countsAFallbackRequestUnderEachModel() {
        List<StatsRow> rows = storeWithKnownData().stats(query(StatsPeriod.MONTH, StatsDimension.MODEL, ZoneOffset.UTC))
                .rows();
        assertThat(rows).hasSize(3);
        assertRow(rows.get(0), "2026-12", "", 1, 0, 0, 0, 0, 0, 0, "0", 0, 0);
        assertRow(rows.get(1), "2026-12", "m1", 3, 2, 3, 11, 1, 0, 0, "0.015", 300, 400);
        assertRow(rows.get(2), "2026-12", "m2", 1, 1, 1, 20, 5, 1, 2, "0.02", 200, 200);
    }

    @Test
    void stats_weekByTeam_labelsIsoWeeksAndGroupsNoTeamAsEmpty() {
        List<StatsRow> rows = storeWithKnownData().stats(query(StatsPeriod.WEEK, StatsDimension.TEAM, ZoneOffset.UTC))
                .rows();
        assertThat(rows).hasSize(2);
        assertRow(rows.get(0), "2026-W49", "", 2, 2, 2, 1, 1, 0, 0, "0.005", 300, 400);
        assertRow(rows.get(1), "2026-W49", "t1", 2, 1, 2, 30, 5, 1, 2, "0.03", 100, 200);
    }

    @Test
    void stats_sinceAndUntil_boundTheWindow() {
        TelemetryStore store = storeWithKnownData();
        List<StatsRow> since = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.TOOL)
                .since(Instant.parse("2026-12-02T00:00:00Z")).build()).rows();
        List<StatsRow> until = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.TOOL)
                .until(Instant.parse("2026-12-01T10:01:00Z")).build()).rows();
        assertThat(since).hasSize(1);
        assertRow(since.get(0), "2026-12-02", "x", 1, 1, 1, 1, 1, 0, 0, "0.005", 400, 400);
        assertThat(until).hasSize(1);
        assertRow(until.get(0), "2026-12-01", "x", 1, 0, 1, 10, 0, 0, 0, "0.01", 100, 100);
    }

    @Test
    void stats_dstChange_dayHas25Hours() {
        TelemetryStore store = store();
        // New York leaves DST on 2026-11-01: that day runs 04:00Z to 05:00Z the next day.
        store.record(record("d1", 1, Instant.parse("2026-11-01T04:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("d2", 1, Instant.parse("2026-11-02T04:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("d3", 1, Instant.parse("2026-11-02T05:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        // ... and enters it on 2026-03-08, a 23-hour day.
        store.record(record("s1", 1, Instant.parse("2026-03-09T03:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("s2", 1, Instant.parse("2026-03-09T04:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        List<StatsRow> rows = store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneId.of("America/New_York")))
                .rows();
        assertThat(rows).extracting(StatsRow::period, StatsRow::requests).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2026-03-08", 1L), org.assertj.core.groups.Tuple.tuple("2026-03-09", 1L),
                org.assertj.core.groups.Tuple.tuple("2026-11-01", 2L), org.assertj.core.groups.Tuple.tuple("2026-11-02", 1L));
    }

    @Test
    void stats_isoWeekBasedYear_andLeapDay() {
        TelemetryStore store = store();
        store.record(record("w1", 1, Instant.parse("2027-01-01T12:00:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("w2", 1, Instant.parse("2028-02-29T12:00:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        assertThat(store.stats(query(StatsPeriod.WEEK, StatsDimension.AGENT, ZoneOffset.UTC)).rows())
                .extracting(StatsRow::period).containsExactly("2026-W53", "2028-W09");
        assertThat(store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows())
                .extracting(StatsRow::period).containsExactly("2027-01-01", "2028-02-29");
    }

    @Test
    void stats_latencyPercentiles_areNearestRank() {
        TelemetryStore store = store();
        for (int i = 1; i <= 20; i++) {
            store.record(record("p" + i, 1, T0.plusSeconds(i), "a", null, "x", "m", Outcome.SUCCESS, null, null,
                    21 - i));
        }
        StatsRow row = store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows().get(0);
        assertThat(row.p50Latency()).isEqualTo(Duration.ofMillis(10));
        assertThat(row.p95Latency()).isEqualTo(Duration.ofMillis(19));
        assertThat(row.successRate()).isEqualTo(1.0);
    }

    @Test
    void stats_emptyStore_hasNoRows() {
        assertThat(store().stats(query(StatsPeriod.MONTH, StatsDimension.AGENT, ZoneOffset.UTC)).rows()).isEmpty();
    }

    private static StatsQuery query(StatsPeriod period, StatsDimension by, ZoneId zone) {
        return StatsQuery.builder().period(period).groupBy(by).zone(zone).build();
    }

    private static void assertRow(StatsRow row, String period, String group, long requests, long succeeded,
                                  long attempts, long in, long out, long cacheRead, long cacheWrite, String cost,
                                  long p50Millis, long p95Millis) {
        assertThat(row.period()).isEqualTo(period);
        assertThat(row.group()).isEqualTo(group);
        assertThat(List.of(row.requests(), row.succeeded(), row.attempts(), row.inputTokens(), row.outputTokens(),
                row.cacheReadTokens(), row.cacheWriteTokens()))
                .as("requests, succeeded, attempts, input, output, cache read, cache write of %s/%s", period, group)
                .containsExactly(requests, succeeded, attempts, in, out, cacheRead, cacheWrite);
        assertThat(row.costUsd()).isEqualByComparingTo(cost);
        assertThat(row.p50Latency()).isEqualTo(Duration.ofMillis(p50Millis));
        assertThat(row.p95Latency()).isEqualTo(Duration.ofMillis(p95Millis));
    }

    // ---------------------------------------------------------------- retention and lifecycle

    @Test
    void deleteOlderThan_deletesExactlyTheOlderRecords() {
        TelemetryStore store = storeWithKnownData();
        long deleted = store.deleteOlderThan(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(deleted).isEqualTo(4);
        assertThat(store.findByRequest("r1")).isEmpty();
        assertThat(store.findByRequest("r3")).isEmpty();
        assertThat(store.findByRequest("r4")).hasSize(1);
        assertThat(store.deleteOlderThan(Instant.parse("2026-12-02T00:00:00Z"))).isZero();
    }

    @Test
    void close_isIdempotent() {
        TelemetryStore store = store();
        store.record(record("c1", 1, T0, "a", null, "x", "m", Outcome.SUCCESS, null, null, 1));
        store.close();
        store.close();
    }

    /** A record with the fields the stats tests vary; {@code usage} and {@code cost} may be null for unknown. */
    protected static InvocationRecord record(String requestId, int attempt, Instant startedAt, String agent,
                                             String team, String tool, String model, Outcome outcome, Usage usage,
                                             String cost, long latencyMillis) {
        return InvocationRecord.builder().requestId(requestId).attempt(attempt).startedAt(startedAt).agent(agent)
                .team(Optional.ofNullable(team)).tool(tool).model(model).outcome(outcome)
                .usage(usage == null ? Usage.unknown() : usage).costUsd(Optional.ofNullable(cost).map(BigDecimal::new))
                .costSource(cost == null ? CostSource.UNKNOWN : CostSource.COMPUTED)
                .latency(Duration.ofMillis(latencyMillis)).build();
    }
}
