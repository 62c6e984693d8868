package io.llmservice.testkit;

import io.llmservice.Complexity;
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
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.RouteInput;
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
 * older records; the route input a record keeps comes back with it, and {@link TelemetryStore#scanRecords}
 * passes a window's records in order without their texts, labels or per-model shares. Stores created here are closed after each test.
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
                .responseText("Looks good").label("ticket", "OPS-1").label("env", "ci")
                .routeInput(RouteInput.builder(1800).complexity(Complexity.COMPLEX).tool("claude-code")
                        .model("claude-sonnet-4-5").build()).build();
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
    void record_routeInput_roundTripsWhenPresentAndStaysEmptyWhenAbsent() {
        TelemetryStore store = store();
        InvocationRecord hinted = record("req-route", 1, T0, "a", null, "claude-code", "m1", Outcome.FAILED, null, null, 5)
                .toBuilder().routeInput(RouteInput.builder(123_456_789_012L).complexity(Complexity.SIMPLE)
                        .tool("claude-code").model("m1").build()).build();
        InvocationRecord estimateOnly = record("req-route", 2, T0.plusSeconds(1), "a", null, "codex", "m2",
                Outcome.SUCCESS, Usage.of(1, 1, 0, 0), "0.001", 5).toBuilder().routeInput(RouteInput.builder(0).build())
                .build();
        InvocationRecord older = record("req-route", 3, T0.plusSeconds(2), "a", null, "codex", "m2", Outcome.SUCCESS,
                Usage.of(1, 1, 0, 0), "0.001", 5);
        store.record(hinted);
        store.record(estimateOnly);
        store.record(older);
        store.flush();

        List<InvocationRecord> found = store.findByRequest("req-route");

        assertThat(found).extracting(InvocationRecord::routeInput).containsExactly(
                Optional.of(new RouteInput(123_456_789_012L, Optional.of(Complexity.SIMPLE), Optional.of("claude-code"),
                        Optional.of("m1"))),
                Optional.of(new RouteInput(0, Optional.empty(), Optional.empty(), Optional.empty())),
                Optional.empty());
    }

    @Test
    void scanRecords_passesTheWindowsRecordsInOrder_withOnlyWhatAReplayReads() {
        TelemetryStore store = store();
        Instant from = T0;
        Instant to = T0.plus(Duration.ofHours(2));
        List<InvocationRecord> all = new ArrayList<>();
        java.util.Random random = new java.util.Random(17);
        Complexity[] hints = Complexity.values();
        for (int i = 0; i < 3000; i++) {
            // many requests share a start (to the nanosecond): the order then goes by request id and attempt;
            // ids in both cases ("B" sorts before "a" as code points, after it in a natural-language collation)
            Instant started = from.minusSeconds(60).plusMillis(random.nextInt(2 * 3600 * 1000 + 120_000) / 500 * 500L);
            String id = (random.nextBoolean() ? "B-" : "a-") + random.nextInt(2000);
            int attempt = random.nextInt(3);
            InvocationRecord.Builder b = record(id, attempt, started, "agent-" + (i % 7), i % 3 == 0 ? null : "t",
                    "tool", "m" + (i % 4), Outcome.SUCCESS, Usage.of(i, 2L * i, 0, 0), "0.00" + (i % 10), i % 50)
                    .toBuilder().promptText("prompt " + i).responseText("answer " + i).label("ticket", "T-" + i)
                    // what a scan leaves out besides texts, labels and shares
                    .exitCode(java.util.OptionalInt.of(i % 3)).reservedUsd(Optional.of(new BigDecimal("0.05")))
                    .errorCode(Optional.of("LLM-00" + (i % 9))).errorSummary("summary " + i);
            if (i % 5 == 0) {
                b.modelUsage(List.of(ModelUsage.of("m" + (i % 4), Usage.of(i, 2L * i, 0, 0), new BigDecimal("0.001"))));
            }
            if (i % 4 != 0) {
                b.routeInput(RouteInput.builder(i).complexity(Optional.ofNullable(i % 2 == 0 ? null : hints[i % 3]))
                        .tool(Optional.ofNullable(i % 6 == 1 ? "tool" : null)).build());
            }
            all.add(b.build());
        }
        all.add(record("at-from", 1, from, "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        all.add(record("at-to", 1, to, "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        all.add(record("before-to", 1, to.minusNanos(1), "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        all.add(record("before-from", 1, from.minusNanos(1), "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        java.util.Map<String, InvocationRecord> byKey = new java.util.LinkedHashMap<>();
        all.forEach(r -> byKey.putIfAbsent(r.requestId() + "#" + r.attempt(), r)); // one record per key
        byKey.values().forEach(store::record);

        List<InvocationRecord> scanned = new ArrayList<>();
        store.scanRecords(from, to, scanned::add);   // flushes first

        List<InvocationRecord> expected = byKey.values().stream()
                .filter(r -> !r.startedAt().isBefore(from) && r.startedAt().isBefore(to))
                .sorted(java.util.Comparator.comparing(InvocationRecord::startedAt)
                        .thenComparing(InvocationRecord::requestId).thenComparingInt(InvocationRecord::attempt))
                .toList();
        assertThat(expected.size()).as("the data set").isGreaterThan(2000);
        assertThat(scanned).extracting(r -> r.requestId() + "#" + r.attempt())
                .containsExactlyElementsOf(expected.stream().map(r -> r.requestId() + "#" + r.attempt()).toList());
        assertThat(scanned).extracting(InvocationRecord::requestId).contains("at-from", "before-to")
                .doesNotContain("at-to", "before-from");
        for (int i = 0; i < scanned.size(); i++) {
            InvocationRecord e = expected.get(i);
            InvocationRecord stripped = e.toBuilder().promptText(Optional.empty()).responseText(Optional.empty())
                    .labels(java.util.Map.of()).modelUsage(List.of()).exitCode(java.util.OptionalInt.empty())
                    .costSource(io.llmservice.CostSource.UNKNOWN).reservedUsd(Optional.empty())
                    .errorCode(Optional.empty()).errorSummary("").build();
            assertSameRecord(scanned.get(i), stripped);
        }
        assertThat(scanned).filteredOn(r -> r.routeInput().isEmpty()).as("records without a route input")
                .hasSizeBetween(expected.size() / 5, expected.size() / 3);
        List<InvocationRecord> none = new ArrayList<>();
        store.scanRecords(to, to, none::add);
        assertThat(none).as("an empty window").isEmpty();
    }

    @Test
    void scanRecords_aSinkThatThrows_endsTheScanWithItsException_andTheStoreKeepsWorking() {
        TelemetryStore store = store();
        for (int i = 0; i < 50; i++) {
            store.record(record("sink-" + i, 1, T0.plusSeconds(i), "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        }
        IllegalStateException stop = new IllegalStateException("the caller had enough");
        AtomicInteger seen = new AtomicInteger();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.scanRecords(T0, T0.plusSeconds(3600), r -> {
            if (seen.incrementAndGet() == 10) {
                throw stop;
            }
        })).isSameAs(stop);

        assertThat(seen).hasValue(10);
        store.record(record("sink-after", 1, T0.plusSeconds(60), "a", null, "tool", "m", Outcome.SUCCESS, null, null, 1));
        List<InvocationRecord> all = new ArrayList<>();
        store.scanRecords(T0, T0.plusSeconds(3600), all::add);
        assertThat(all).hasSize(51);
        assertThat(store.findByRequest("sink-after")).hasSize(1);
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
        assertThat(actual.routeInput()).as("route input").isEqualTo(expected.routeInput());
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
                .until(Instant.parse("2026-12-01T11:00:00Z")).build()).rows();
        assertThat(since).hasSize(1);
        assertRow(since.get(0), "2026-12-02", "x", 1, 1, 1, 1, 1, 0, 0, "0.005", 400, 400);
        assertThat(until).hasSize(2);
        assertRow(until.get(0), "2026-12-01", "x", 1, 0, 1, 10, 0, 0, 0, "0.01", 100, 100);
        assertRow(until.get(1), "2026-12-01", "y", 1, 1, 1, 20, 5, 1, 2, "0.02", 200, 200);
    }

    @Test
    void stats_boundsOffTheQuarterHour_widenTheWindowToWholeQuarterHours() {
        TelemetryStore store = storeWithKnownData();
        // 10:00 and 10:01 lie in the quarter-hour 10:00-10:15: a window 10:01-10:02 covers both attempts of r1,
        // and a window from 10:14:59 too; one from 10:15 neither.
        List<StatsRow> inside = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                .since(Instant.parse("2026-12-01T10:01:00Z")).until(Instant.parse("2026-12-01T10:02:00Z")).build())
                .rows();
        assertThat(inside).hasSize(1);
        assertRow(inside.get(0), "2026-12-01", "a", 1, 1, 2, 30, 5, 1, 2, "0.03", 100, 200);
        List<StatsRow> late = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                .since(Instant.parse("2026-12-01T10:14:59Z")).until(Instant.parse("2026-12-01T11:00:00Z")).build())
                .rows();
        assertThat(late).extracting(StatsRow::attempts).containsExactly(2L);
        List<StatsRow> after = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                .since(Instant.parse("2026-12-01T10:15:00Z")).until(Instant.parse("2026-12-01T11:00:00Z")).build())
                .rows();
        assertThat(after).isEmpty();
    }

    @Test
    void stats_fallbackAcrossToolsAndModels_countsTheRequestOnceInEachToolAndModel() {
        TelemetryStore store = store();
        store.record(record("f", 1, T0, "a", null, "x", "m1", Outcome.FAILED, Usage.of(1, 0, 0, 0), "0.01", 100));
        store.record(record("f", 2, T0.plusSeconds(300), "a", null, "x", "m2", Outcome.TIMEOUT, Usage.of(2, 0, 0, 0),
                "0.02", 200));
        store.record(record("f", 3, T0.plusSeconds(1200), "a", null, "y", "m1", Outcome.SUCCESS,
                Usage.of(4, 1, 0, 0), "0.04", 400));
        store.flush();
        List<StatsRow> byTool = store.stats(query(StatsPeriod.DAY, StatsDimension.TOOL, ZoneOffset.UTC)).rows();
        assertThat(byTool).hasSize(2);
        assertRow(byTool.get(0), "2026-12-01", "x", 1, 0, 2, 3, 0, 0, 0, "0.03", 100, 200);
        assertRow(byTool.get(1), "2026-12-01", "y", 1, 1, 1, 4, 1, 0, 0, "0.04", 400, 400);
        List<StatsRow> byModel = store.stats(query(StatsPeriod.DAY, StatsDimension.MODEL, ZoneOffset.UTC)).rows();
        assertThat(byModel).hasSize(2);
        // m1: attempts 1 and 3, the request once, and it succeeded on m1 (on another tool)
        assertRow(byModel.get(0), "2026-12-01", "m1", 1, 1, 2, 5, 1, 0, 0, "0.05", 100, 400);
        assertRow(byModel.get(1), "2026-12-01", "m2", 1, 0, 1, 2, 0, 0, 0, "0.02", 200, 200);
        List<StatsRow> byAgent = store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows();
        assertRow(byAgent.get(0), "2026-12-01", "a", 1, 1, 3, 7, 1, 0, 0, "0.07", 200, 400);
    }

    @Test
    void stats_retryOnTheSameModel_countsOneRequestAndTwoAttempts() {
        TelemetryStore store = store();
        store.record(record("s", 1, T0, "a", "t", "x", "m", Outcome.FAILED, null, null, 50));
        store.record(record("s", 2, T0.plusSeconds(2), "a", "t", "x", "m", Outcome.SUCCESS, Usage.of(3, 3, 0, 0),
                "0.003", 150));
        store.flush();
        for (StatsDimension by : StatsDimension.values()) {
            List<StatsRow> rows = store.stats(query(StatsPeriod.MONTH, by, ZoneOffset.UTC)).rows();
            assertThat(rows).as("by %s", by).hasSize(1);
            assertRow(rows.get(0), "2026-12", by == StatsDimension.TEAM ? "t" : by == StatsDimension.AGENT ? "a"
                    : by == StatsDimension.TOOL ? "x" : "m", 1, 1, 2, 3, 3, 0, 0, "0.003", 50, 150);
        }
    }

    @Test
    void stats_successAfterAFailureInAnotherDay_countsTheRequestAndItsSuccessOnItsFirstDay() {
        TelemetryStore store = store();
        // failed at 23:50, retried and succeeded at 00:10 the next day (UTC), another outcome and another hour
        store.record(record("late", 1, Instant.parse("2026-12-01T23:50:00Z"), "a", null, "x", "m", Outcome.FAILED,
                null, null, 100));
        store.record(record("late", 2, Instant.parse("2026-12-02T00:10:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 300));
        store.flush();
        for (StatsDimension by : StatsDimension.values()) {
            List<StatsRow> rows = store.stats(query(StatsPeriod.DAY, by, ZoneOffset.UTC)).rows();
            assertThat(rows).as("by %s", by).extracting(StatsRow::period, StatsRow::requests, StatsRow::succeeded,
                    StatsRow::attempts).containsExactly(org.assertj.core.groups.Tuple.tuple("2026-12-01", 1L, 1L, 1L),
                    org.assertj.core.groups.Tuple.tuple("2026-12-02", 0L, 0L, 1L));
        }
        // a window that starts after the first attempt sees the retry, but not the request
        List<StatsRow> second = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                .since(Instant.parse("2026-12-02T00:00:00Z")).build()).rows();
        assertRow(second.get(0), "2026-12-02", "a", 0, 0, 1, 0, 0, 0, 0, "0", 300, 300);
        assertThat(second.get(0).successRate()).isZero();
    }

    @Test
    void stats_subAgentShare_countsTheRequestUnderItsModel_andALaterSuccessThere() {
        TelemetryStore store = store();
        // attempt 1: sonnet with a haiku sub-agent, fails; attempt 2: haiku itself, succeeds
        store.record(InvocationRecord.builder().requestId("sub").attempt(1).startedAt(T0).agent("a").tool("claude-code")
                .model("m-sonnet").outcome(Outcome.FAILED).usage(Usage.of(600, 50, 0, 0))
                .costUsd(new BigDecimal("0.0020")).costSource(CostSource.TOOL_REPORTED).latency(Duration.ofMillis(900))
                .modelUsage(List.of(ModelUsage.of("m-sonnet", Usage.of(400, 30, 0, 0), new BigDecimal("0.0017")),
                        ModelUsage.of("m-haiku", Usage.of(200, 20, 0, 0), new BigDecimal("0.0003"))))
                .build());
        store.record(record("sub", 2, T0.plusSeconds(3600), "a", null, "claude-code", "m-haiku", Outcome.SUCCESS,
                Usage.of(7, 3, 0, 0), "0.0001", 100));
        store.flush();
        List<StatsRow> byModel = store.stats(query(StatsPeriod.DAY, StatsDimension.MODEL, ZoneOffset.UTC)).rows();
        assertThat(byModel).hasSize(2);
        assertRow(byModel.get(0), "2026-12-01", "m-haiku", 1, 1, 1, 207, 23, 0, 0, "0.0004", 100, 100);
        assertRow(byModel.get(1), "2026-12-01", "m-sonnet", 1, 0, 1, 400, 30, 0, 0, "0.0017", 900, 900);
        List<StatsRow> byTool = store.stats(query(StatsPeriod.DAY, StatsDimension.TOOL, ZoneOffset.UTC)).rows();
        assertRow(byTool.get(0), "2026-12-01", "claude-code", 1, 1, 2, 607, 53, 0, 0, "0.0021", 100, 900);
    }

    @Test
    void stats_refusalAtAttemptZero_countsARequestWithoutAttemptTokensOrLatency() {
        TelemetryStore store = store();
        store.record(record("no", 0, T0, "a", "t", "", "", Outcome.RATE_LIMITED, null, null, 0));
        store.record(record("nr", 0, T0.plusSeconds(1), "a", "t", "x", "m", Outcome.BUDGET_BLOCKED, null, null, 0));
        store.flush();
        List<StatsRow> byAgent = store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows();
        assertRow(byAgent.get(0), "2026-12-01", "a", 2, 0, 0, 0, 0, 0, 0, "0", 0, 0);
        List<StatsRow> byModel = store.stats(query(StatsPeriod.DAY, StatsDimension.MODEL, ZoneOffset.UTC)).rows();
        assertThat(byModel).extracting(StatsRow::group, StatsRow::requests, StatsRow::attempts).containsExactly(
                org.assertj.core.groups.Tuple.tuple("", 1L, 0L), org.assertj.core.groups.Tuple.tuple("m", 1L, 0L));
    }

    @Test
    void stats_halfAndQuarterHourZones_cutDaysExactly() {
        TelemetryStore store = store();
        // Asia/Kolkata (+05:30): midnight is 18:30 UTC; Asia/Kathmandu (+05:45): 18:15 UTC.
        store.record(record("k1", 1, Instant.parse("2026-12-01T18:14:59Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("k2", 1, Instant.parse("2026-12-01T18:29:59Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.record(record("k3", 1, Instant.parse("2026-12-01T18:30:00Z"), "a", null, "x", "m", Outcome.SUCCESS,
                null, null, 1));
        store.flush();
        assertThat(store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneId.of("Asia/Kolkata"))).rows())
                .extracting(StatsRow::period, StatsRow::requests).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-12-01", 2L),
                        org.assertj.core.groups.Tuple.tuple("2026-12-02", 1L));
        assertThat(store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneId.of("Asia/Kathmandu"))).rows())
                .extracting(StatsRow::period, StatsRow::requests).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("2026-12-01", 1L),
                        org.assertj.core.groups.Tuple.tuple("2026-12-02", 2L));
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
    void stats_latencyPercentiles_areNearestRank_withinTheHistogramsError() {
        TelemetryStore store = store();
        for (int i = 1; i <= 20; i++) {
            store.record(record("p" + i, 1, T0.plusSeconds(i), "a", null, "x", "m", Outcome.SUCCESS, null, null,
                    21 - i));
        }
        StatsRow row = store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows().get(0);
        assertLatency(row.p50Latency(), Duration.ofMillis(10), "p50");
        assertLatency(row.p95Latency(), Duration.ofMillis(19), "p95");
        assertThat(row.successRate()).isEqualTo(1.0);
    }

    @Test
    void stats_emptyStore_hasNoRows() {
        assertThat(store().stats(query(StatsPeriod.MONTH, StatsDimension.AGENT, ZoneOffset.UTC)).rows()).isEmpty();
    }

    /** How many random records {@link #stats_rollupsEqualARecomputationFromTheRawRecords} writes. */
    protected int randomRecords() {
        return 100_000;
    }

    @Test
    void stats_rollupsEqualARecomputationFromTheRawRecords() {
        TelemetryStore store = store();
        List<InvocationRecord> records = randomRecords(new java.util.Random(16), randomRecords());
        records.forEach(store::record);
        store.flush();
        StatsOracle oracle = new StatsOracle(records);
        List<StatsQuery> queries = new ArrayList<>();
        for (StatsDimension by : StatsDimension.values()) {
            for (String zone : List.of("UTC", "America/New_York", "Asia/Kolkata")) {
                queries.add(query(StatsPeriod.DAY, by, ZoneId.of(zone)));
            }
            queries.add(query(StatsPeriod.WEEK, by, ZoneId.of("America/New_York")));
            queries.add(query(StatsPeriod.MONTH, by, ZoneId.of("Asia/Kolkata")));
            // a window whose bounds are not on quarter-hours, in a zone 05:45 off UTC
            queries.add(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(by).zone(ZoneId.of("Asia/Kathmandu"))
                    .since(Instant.parse("2026-11-03T07:07:07Z")).until(Instant.parse("2026-11-20T22:52:30Z")).build());
        }
        for (StatsQuery q : queries) {
            List<StatsRow> rows = store.stats(q).rows();
            java.util.Map<StatsOracle.Cell, StatsOracle.Expected> expected = oracle.report(q);
            // one comparison per query: the exact columns as text, and the latencies that are too far off
            List<String> actualRows = new ArrayList<>();
            List<String> latencyMisses = new ArrayList<>();
            for (StatsRow row : rows) {
                actualRows.add(String.join(" ", row.period(), row.group(), "requests=" + row.requests(),
                        "succeeded=" + row.succeeded(), "attempts=" + row.attempts(), "tokens=" + row.inputTokens()
                                + "/" + row.outputTokens() + "/" + row.cacheReadTokens() + "/" + row.cacheWriteTokens(),
                        "cost=" + row.costUsd().stripTrailingZeros().toPlainString()));
                StatsOracle.Expected e = expected.get(new StatsOracle.Cell(row.period(), row.group()));
                if (e != null) {
                    for (int p : new int[] {50, 95}) {
                        Duration got = p == 50 ? row.p50Latency() : row.p95Latency();
                        Duration exact = e.exactPercentile(p);
                        if (Math.abs(got.toNanos() - exact.toNanos())
                                > exact.toNanos() * LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT / 100 + 1) {
                            latencyMisses.add(row.period() + " " + row.group() + " p" + p + " " + got + ", exactly "
                                    + exact);
                        }
                    }
                }
            }
            List<String> expectedRows = new ArrayList<>();
            expected.forEach((cell, e) -> expectedRows.add(String.join(" ", cell.period(), cell.group(),
                    "requests=" + e.requests(), "succeeded=" + e.succeeded(), "attempts=" + e.attempts(),
                    "tokens=" + e.input() + "/" + e.output() + "/" + e.cacheRead() + "/" + e.cacheWrite(),
                    "cost=" + e.cost().stripTrailingZeros().toPlainString())));
            assertThat(actualRows).as("rows of %s", q).containsExactlyElementsOf(expectedRows);
            assertThat(latencyMisses).as("p50/p95 further than %s %% from the exact nearest rank in %s",
                    LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT, q).isEmpty();
        }
    }

    /**
     * Random records over about two months (both sides of New York's DST change on 2026-11-01): 5
     * agents, 3 teams and none, 3 tools, 5 models; requests of 1 to 4 attempts that fall back across
     * tools and models, retry on the same model, cross quarter-hours and days; refusals at attempt 0;
     * sub-agent shares; unknown tokens and costs; log-normal latencies. In attempt order per request.
     */
    protected static List<InvocationRecord> randomRecords(java.util.Random random, int count) {
        String[] agents = {"reviewer", "planner", "coder", "tester", "docs"};
        String[] teams = {"platform", "web", "data"};
        String[] tools = {"claude", "codex", "gemini"};
        String[] models = {"m-opus", "m-sonnet", "m-haiku", "m-gpt", "m-flash"};
        Outcome[] failures = {Outcome.FAILED, Outcome.TIMEOUT, Outcome.RATE_LIMITED, Outcome.BUDGET_BLOCKED,
                Outcome.CANCELLED, Outcome.NOT_INSTALLED};
        List<InvocationRecord> out = new ArrayList<>(count);
        Instant t = Instant.parse("2026-10-01T00:00:00Z");
        long span = Duration.ofDays(60).getSeconds();
        int request = 0;
        while (out.size() < count) {
            String id = "q" + request++;
            t = t.plusMillis((long) (random.nextDouble() * 2 * span * 1000 / count * 1.5));
            String agent = agents[random.nextInt(agents.length)];
            Optional<String> team = random.nextInt(4) == 0 ? Optional.empty()
                    : Optional.of(teams[random.nextInt(teams.length)]);
            if (random.nextInt(20) == 0) {
                boolean routed = random.nextBoolean();
                out.add(InvocationRecord.builder().requestId(id).attempt(0).startedAt(t).agent(agent).team(team)
                        .tool(routed ? tools[random.nextInt(tools.length)] : "")
                        .model(routed ? models[random.nextInt(models.length)] : "")
                        .outcome(routed ? Outcome.BUDGET_BLOCKED : Outcome.NO_ROUTE).latency(Duration.ZERO).build());
                continue;
            }
            int attempts = 1 + (random.nextInt(3) == 0 ? random.nextInt(4) : 0);
            Instant at = t;
            String tool = tools[random.nextInt(tools.length)];
            String model = models[random.nextInt(models.length)];
            for (int a = 1; a <= attempts && out.size() < count; a++) {
                if (a > 1) {
                    at = at.plusSeconds(random.nextInt(random.nextInt(10) == 0 ? 7200 : 300));
                    switch (random.nextInt(3)) {
                        case 0 -> tool = tools[random.nextInt(tools.length)];
                        case 1 -> model = models[random.nextInt(models.length)];
                        default -> { }   // a retry on the same tool and model
                    }
                }
                Outcome outcome = a == attempts && random.nextInt(4) != 0 ? Outcome.SUCCESS
                        : failures[random.nextInt(failures.length)];
                InvocationRecord.Builder b = InvocationRecord.builder().requestId(id).attempt(a).startedAt(at)
                        .agent(agent).team(team).tool(tool).model(model).outcome(outcome)
                        .latency(Duration.ofNanos((long) (1e6 * Math.exp(5 + 1.5 * random.nextGaussian()))));
                int kind = random.nextInt(10);
                if (kind == 0) {
                    // usage and cost unknown
                } else if (kind <= 2) {
                    // a sub-agent on another model, sometimes with an unknown cost
                    String sub = models[random.nextInt(models.length)];
                    Usage own = Usage.of(random.nextInt(5000), random.nextInt(900), random.nextInt(300), 0);
                    Usage theirs = Usage.of(random.nextInt(2000), random.nextInt(200), 0, random.nextInt(50));
                    BigDecimal ownCost = BigDecimal.valueOf(random.nextInt(100_000), 6);
                    Optional<BigDecimal> subCost = random.nextInt(5) == 0 ? Optional.empty()
                            : Optional.of(BigDecimal.valueOf(random.nextInt(20_000), 7));
                    List<ModelUsage> shares = sub.equals(model) ? List.of(new ModelUsage(model, own, Optional.of(ownCost)))
                            : List.of(new ModelUsage(model, own, Optional.of(ownCost)), new ModelUsage(sub, theirs, subCost));
                    b.modelUsage(shares).usage(ModelUsage.totalUsage(shares))
                            .costUsd(ownCost.add(subCost.orElse(BigDecimal.ZERO))).costSource(CostSource.TOOL_REPORTED);
                } else {
                    b.usage(random.nextInt(8) == 0
                            ? Usage.of(OptionalLong.of(random.nextInt(4000)), OptionalLong.of(random.nextInt(700)),
                                    OptionalLong.empty(), OptionalLong.empty())
                            : Usage.of(random.nextInt(4000), random.nextInt(700), random.nextInt(300), random.nextInt(90)));
                    if (random.nextInt(6) != 0) {
                        b.costUsd(BigDecimal.valueOf(random.nextInt(50_000), 6)).costSource(CostSource.COMPUTED);
                    }
                }
                out.add(b.build());
            }
        }
        return out;
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
        assertLatency(row.p50Latency(), Duration.ofMillis(p50Millis), "p50 of " + period + "/" + group);
        assertLatency(row.p95Latency(), Duration.ofMillis(p95Millis), "p95 of " + period + "/" + group);
    }

    /**
     * Asserts a reported percentile is within {@link LatencyHistogram#MAX_RELATIVE_ERROR_PERCENT} (plus
     * a nanosecond of rounding) of the exact nearest-rank value.
     */
    protected static void assertLatency(Duration actual, Duration exact, String what) {
        double tolerance = exact.toNanos() * LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT / 100 + 1;
        assertThat((double) actual.toNanos()).as("%s: %s, exactly %s", what, actual, exact)
                .isCloseTo(exact.toNanos(), org.assertj.core.data.Offset.offset(tolerance));
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
        assertThat(store.stats(query(StatsPeriod.DAY, StatsDimension.AGENT, ZoneOffset.UTC)).rows())
                .as("stats of the deleted days are gone too").extracting(StatsRow::period, StatsRow::group)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-12-02", "b"));
    }

    // ---------------------------------------------------------------- scanRollups

    @Test
    void scanRollups_reportOfTheScannedRows_equalsStats_forEveryDimensionAndPeriod() {
        TelemetryStore store = storeWithKnownData();
        // A sub-agent's share: its own row under its model.
        store.record(record("r5", 1, Instant.parse("2026-12-02T13:00:00Z"), "c", "t2", "y", "m2", Outcome.SUCCESS,
                Usage.of(100, 10, 0, 0), "0.10", 500).toBuilder()
                .modelUsage(List.of(new ModelUsage("m3", Usage.of(40, 4, 0, 0), Optional.of(new BigDecimal("0.04")))))
                .build());
        Instant from = Instant.parse("2026-12-01T00:00:00Z");
        Instant to = Instant.parse("2026-12-03T00:00:00Z");
        List<io.llmservice.spi.RollupRow> rows = new ArrayList<>();
        store.scanRollups(from, to, rows::add);
        assertThat(rows).extracting(io.llmservice.spi.RollupRow::key).doesNotHaveDuplicates();
        assertThat(rows).extracting(r -> r.key().start()).isSorted();
        assertThat(rows).extracting(r -> r.key().model()).contains("m3");
        for (StatsDimension by : StatsDimension.values()) {
            for (StatsPeriod period : StatsPeriod.values()) {
                StatsQuery q = StatsQuery.builder().period(period).groupBy(by).zone(ZoneId.of("Europe/Berlin"))
                        .since(from).until(to).build();
                assertThat(io.llmservice.spi.RollupStats.report(q, rows)).as(by + " " + period)
                        .usingRecursiveComparison().withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                        .isEqualTo(store.stats(q));
            }
        }
    }

    @Test
    void scanRollups_passesOnlyQuarterHoursStartingInTheWindow_andNothingForAnEmptyOne() {
        TelemetryStore store = storeWithKnownData();
        List<io.llmservice.spi.RollupRow> rows = new ArrayList<>();
        // [10:00, 11:00): r1's two attempts (quarter-hour 10:00), not r2's refusal at 11:00 (the end is exclusive).
        store.scanRollups(Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-01T11:00:00Z"), rows::add);
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.key().start()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));
            assertThat(r.key().agent()).isEqualTo("a");
        });
        assertThat(rows.stream().mapToLong(io.llmservice.spi.RollupRow::attempts).sum()).isEqualTo(2);
        assertThat(rows.stream().map(io.llmservice.spi.RollupRow::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0.03");
        rows.clear();
        // A window starting a minute into a quarter-hour does not include it: callers round (RollupStats.windowStart).
        store.scanRollups(Instant.parse("2026-12-01T10:01:00Z"), Instant.parse("2026-12-01T11:15:00Z"), rows::add);
        assertThat(rows).extracting(r -> r.key().outcome()).containsOnly(Outcome.BUDGET_BLOCKED);
        rows.clear();
        store.scanRollups(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), rows::add);
        assertThat(rows).isEmpty();
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
