package io.llmservice.core.internal;

import io.llmservice.testkit.ForwardingTelemetryStore;
import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.CallCancelledException;
import io.llmservice.Candidate;
import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.NoRouteException;
import io.llmservice.Outcome;
import io.llmservice.RoutedCall;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.Privacy;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class RealLlmServiceTest {
    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts();
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private LlmService llm;

    private TestConfigs twoTools() {
        return TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .model("codex", Tier.STANDARD, 400_000, "1.25", "10")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .tool("codex-cli", ScriptedAdapter.TYPE, "codex")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"));
    }

    private LlmService start(TestConfigs configs, LlmServiceListener... listeners) {
        llm = Services.build(configs.build(), scripts.provider(), store, listeners);
        return llm;
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
    void execute_preferredToolAnswers_returnsTextUsageAndComputedCost() {
        scripts.answer("claude", "LGTM", Usage.of(1_000_000, 100_000, 0, 0), null);
        LlmResponse r = start(twoTools()).route(review()).execute();

        assertThat(r.text()).isEqualTo("LGTM");
        assertThat(r.tool()).isEqualTo("claude");
        assertThat(r.model()).isEqualTo("sonnet");
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("4.5"));
        assertThat(r.attempts()).singleElement().satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.SUCCESS));
        assertThat(store.findByRequest(r.requestId())).singleElement().satisfies(rec -> {
            assertThat(rec.agent()).isEqualTo("reviewer");
            assertThat(rec.team()).contains("platform");
            assertThat(rec.outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(rec.promptText()).isEmpty();
            assertThat(rec.responseText()).isEmpty();
        });
    }

    @Test
    void execute_adapterThrowsUnexpectedly_messageMasked_rawExceptionNotAttached() {
        String key = "sk-ant-api03-" + "Abcdefghijklmnopqrstuvwxyz0123456789";
        scripts.behaviour.put("claude", inv -> {
            throw new IllegalStateException("401 from the vendor, Authorization: Bearer " + key);
        });
        RoutedCall call = start(twoTools()).route(review());

        Throwable thrown = catchThrowable(call::execute);

        assertThat(thrown).isInstanceOf(LlmServiceException.class);
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).as(t.getClass().getName()).doesNotContain(key);
            assertThat(t).isNotInstanceOf(IllegalStateException.class);
        }
        assertThat(thrown.getMessage()).contains("adapter failed: java.lang.IllegalStateException");
    }

    @Test
    void afterClose_callRoutedBefore_andStoreReads_failWithServiceClosed() {
        scripts.answer("claude", "ok", Usage.of(10, 10, 0, 0), null);
        LlmService service = start(twoTools());
        RoutedCall routedBefore = service.route(review());
        service.close();

        assertThatThrownBy(routedBefore::execute).isInstanceOf(LlmServiceException.class)
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
        assertThatThrownBy(service::budgets)
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
        assertThatThrownBy(() -> service.stats(StatsQuery.builder().build()))
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
    }

    @Test
    void budgets_reportTheCurrentPeriodsSpendAndHeadroom() {
        scripts.answer("claude", "ok", Usage.of(10, 10, 0, 0), new BigDecimal("0.25"));
        LlmService service = start(twoTools().budget("daily", io.llmservice.config.Scope.global(),
                io.llmservice.config.BudgetPeriod.DAILY, "1.00", io.llmservice.config.LimitType.HARD,
                io.llmservice.config.OnExceed.BLOCK));
        assertThat(service.budgets()).singleElement()
                .satisfies(b -> assertThat(b.remainingUsd()).isEqualByComparingTo("1.00"));

        service.route(review()).execute();

        assertThat(service.budgets()).singleElement().satisfies(b -> {
            assertThat(b.name()).isEqualTo("daily");
            assertThat(b.period()).matches("daily \\d{4}-\\d{2}-\\d{2}");
            assertThat(b.spentUsd()).isEqualByComparingTo("0.25");
            assertThat(b.reservedUsd()).isEqualByComparingTo("0");
            assertThat(b.remainingUsd()).isEqualByComparingTo("0.75");
        });
    }

    @Test
    void execute_toolReportsCost_usesReportedCost() {
        scripts.answer("claude", "ok", Usage.of(10, 10, 0, 0), new BigDecimal("0.001044"));
        LlmResponse r = start(twoTools()).route(review()).execute();
        assertThat(r.costSource()).isEqualTo(CostSource.TOOL_REPORTED);
        assertThat(r.costUsd()).contains(new BigDecimal("0.001044"));
    }

    @Test
    void execute_usageUnknown_costUnknownNotZero() {
        scripts.answer("claude", "ok", Usage.unknown(), null);
        LlmResponse r = start(twoTools()).route(review()).execute();
        assertThat(r.costSource()).isEqualTo(CostSource.UNKNOWN);
        assertThat(r.costUsd()).isEmpty();
        assertThat(r.usage().inputTokens()).isEmpty();
    }

    @Test
    void execute_primaryTimesOut_fallbackServesAndBothAttemptsRecorded() {
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(1)))
                .answer("codex-cli", "from codex", Usage.of(5, 5, 0, 0), null);
        LlmResponse r = start(twoTools()).route(review()).execute();

        assertThat(r.tool()).isEqualTo("codex-cli");
        assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.TIMEOUT, Outcome.SUCCESS);
        assertThat(store.findByRequest(r.requestId())).extracting(InvocationRecord::attempt, InvocationRecord::tool,
                        InvocationRecord::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "claude", Outcome.TIMEOUT),
                        org.assertj.core.groups.Tuple.tuple(2, "codex-cli", Outcome.SUCCESS));
    }

    @Test
    void execute_nonRetriableFailure_doesNotFallBack() {
        ToolExitException exit = new ToolExitException("claude", 2, "bad flag", "", false);
        scripts.fail("claude", exit).answer("codex-cli", "unused", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(review());

        assertThatThrownBy(call::execute).isSameAs(exit);
        assertThat(scripts.invocations).hasSize(1);
        assertThat(store.all()).singleElement().satisfies(rec -> {
            assertThat(rec.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(rec.exitCode()).hasValue(2);
            assertThat(rec.errorCode()).contains(ErrorCode.TOOL_EXIT.id());
        });
    }

    @Test
    void execute_allCandidatesFailRetriably_throwsWithEveryAttempt() {
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(1)))
                .fail("codex-cli", new ToolExitException("codex-cli", 1, "429 Too Many Requests", "rate limited", true));
        RoutedCall call = start(twoTools()).route(review());

        assertThatThrownBy(call::execute).isInstanceOfSatisfying(AllCandidatesFailedException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::tool).containsExactly("claude", "codex-cli");
            assertThat(e.attempts()).allSatisfy(a -> assertThat(a.failure()).isPresent());
            assertThat(e.getMessage()).contains("claude/sonnet", "codex-cli/codex", "timed out", "status 1");
        });
        assertThat(store.all()).hasSize(2);
    }

    @Test
    void execute_retriableThenAuthenticationFailure_throwsEveryAttempt_andNamesTheCandidateNotTried() {
        ToolReportedErrorException auth = new ToolReportedErrorException(ErrorCode.TOOL_AUTHENTICATION, "codex-cli",
                "authentication failed: Not logged in", 401, 1, false);
        scripts.fail("claude", new ToolExitException("claude", 1, "503 Service Unavailable", "", true))
                .fail("codex-cli", auth).answer("third", "unused", Usage.unknown(), null);
        RoutedCall call = start(twoTools().model("haiku", Tier.ECONOMY, 200_000, "1", "5")
                .tool("third", ScriptedAdapter.TYPE, "haiku")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"),
                        new RouteTarget("third", "haiku"))).route(review());

        assertThatThrownBy(call::execute).isInstanceOfSatisfying(AllCandidatesFailedException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::tool).containsExactly("claude", "codex-cli");
            assertThat(e.getCause()).isSameAs(auth);
            assertThat(e.retriable()).isFalse();
            assertThat(e.notTried()).extracting(Candidate::tool).containsExactly("third");
            assertThat(e.getMessage().lines()).containsExactly(
                    "agent 'reviewer': stopped at a failure another candidate cannot fix (2 attempts, 1 not tried):",
                    "  #1 claude/sonnet failed (exit 1) after " + ms(e.attempts().get(0))
                            + ": exited with status 1; stderr: 503 Service Unavailable [LLM-032]",
                    "  #2 codex-cli/codex failed (exit 1) after " + ms(e.attempts().get(1))
                            + ": authentication failed: Not logged in [LLM-034]",
                    "  not tried third/haiku (agent's fallback #2)");
        });
        assertThat(scripts.invocations).hasSize(2);
    }

    @Test
    void execute_primaryNotInstalled_fallbackFails_theErrorNamesThePrimaryAndWhy() {
        scripts.notInstalled("claude").fail("codex-cli", new ToolExitException("codex-cli", 2, "bad flag", "", false));
        RoutedCall call = start(twoTools()).route(review());

        assertThatThrownBy(call::execute).isInstanceOfSatisfying(AllCandidatesFailedException.class, e -> {
            assertThat(e.attempts()).extracting(Attempt::tool).containsExactly("codex-cli");
            assertThat(e.getMessage().lines()).first()
                    .isEqualTo("agent 'reviewer': every candidate failed (1 attempt, 1 skipped before running):");
            assertThat(e.getMessage()).contains(
                    "  skipped claude/sonnet: not installed: 'claude' not found on PATH");
        });
    }

    /** The attempt's time as messages print it. */
    private static String ms(Attempt a) {
        long millis = a.latency().toMillis();
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    @Test
    void route_primaryNotInstalled_planExcludesItAndFallbackRuns() {
        scripts.notInstalled("claude").answer("codex-cli", "ok", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(review());

        assertThat(call.plan().chosen()).hasValueSatisfying(c -> assertThat(c.tool()).isEqualTo("codex-cli"));
        assertThat(call.plan().excluded()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("claude");
            assertThat(c.reason()).isEqualTo("not installed: 'claude' not found on PATH");
        });
        assertThat(call.execute().tool()).isEqualTo("codex-cli");
    }

    @Test
    void execute_nothingInstalled_noRouteRecordedAndThrown() {
        scripts.notInstalled("claude").notInstalled("codex-cli");
        RoutedCall call = start(twoTools()).route(review());

        assertThatThrownBy(call::execute).isInstanceOfSatisfying(NoRouteException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NO_ROUTE);
            assertThat(e.plan().excluded()).hasSize(2);
        });
        assertThat(scripts.invocations).isEmpty();
        assertThat(store.all()).singleElement().satisfies(rec -> {
            assertThat(rec.outcome()).isEqualTo(Outcome.NO_ROUTE);
            assertThat(rec.attempt()).isZero();
        });
    }

    @Test
    void execute_calledTwice_throwsIllegalState() {
        scripts.answer("claude", "ok", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(review());
        call.execute();
        assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already executed");
        assertThatThrownBy(call::executeAsync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void execute_cancelledBeforeStart_runsNothing() {
        scripts.answer("claude", "ok", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(review());
        call.cancel();
        assertThatThrownBy(call::execute).isInstanceOf(CallCancelledException.class);
        assertThat(scripts.invocations).isEmpty();
    }

    @Test
    void cancel_whileRunning_endsCallWithCancelledAndDoesNotFallBack() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        scripts.blockUntilCancelled("claude", started).answer("codex-cli", "unused", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(review());
        CompletableFuture<LlmResponse> f = call.executeAsync();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        call.cancel();

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(CallCancelledException.class);
        assertThat(scripts.invocations).hasSize(1);
        assertThat(store.all()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED));
    }

    @Test
    void latency_isMeasuredOnTheTicker_whileTheWallClockIsSteppedBack() {
        MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
        ManualTicker ticker = new ManualTicker();
        scripts.behaviour.put("claude", inv -> {
            ticker.advance(Duration.ofSeconds(2));
            clock.advance(Duration.ofHours(-1)); // NTP steps the wall clock back while the tool runs
            return ToolResult.builder("LGTM").build();
        });
        llm = Services.build(twoTools().build(), scripts.provider(), store, clock, ticker,
                io.llmservice.core.internal.ratelimit.Sleeper.real());

        LlmResponse r = llm.route(review()).execute();

        assertThat(r.latency()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.attempts()).singleElement().satisfies(a -> {
            assertThat(a.latency()).isEqualTo(Duration.ofSeconds(2));
            assertThat(a.startedAt()).isEqualTo(java.time.Instant.parse("2026-12-01T10:00:00Z"));
        });
        assertThat(store.all()).singleElement().satisfies(rec -> assertThat(rec.latency())
                .isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void close_cancelsRunningCalls() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        scripts.blockUntilCancelled("claude", started);
        RoutedCall call = start(twoTools()).route(review());
        CompletableFuture<LlmResponse> f = call.executeAsync();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        llm.close();
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        assertThatThrownBy(() -> llm.route(review())).isInstanceOfSatisfying(LlmServiceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
    }

    @Test
    void close_storeCouldNotWriteARecord_closesEverything_thenThrowsTheStoresError() {
        LlmServiceException diskFull = new LlmServiceException(ErrorCode.TELEMETRY_STORE, "1 telemetry record(s)"
                + " could not be written to /data/telemetry: No space left on device (1 record(s) lost in total)");
        AtomicInteger closes = new AtomicInteger();
        llm = Services.build(twoTools().build(), scripts.provider(),
                new CloseCountingStore(closingWith(store, () -> {
                    throw diskFull;
                }), closes));
        scripts.answer("claude", "LGTM", Usage.unknown(), null);
        assertThat(llm.route(review()).execute().text()).isEqualTo("LGTM");

        assertThatThrownBy(llm::close).isSameAs(diskFull);

        assertThat(closes).hasValue(1);
        assertThatThrownBy(() -> llm.route(review())).isInstanceOfSatisfying(LlmServiceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
        llm.close(); // reported once; a second close is a no-op
        assertThat(closes).hasValue(1);
    }

    @Test
    void close_whileAnotherThreadCloses_returnsOnlyWhenTheStoreIsClosed() throws Exception {
        CountDownLatch closing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean storeClosed = new AtomicBoolean();
        llm = Services.build(twoTools().build(), scripts.provider(), closingWith(store, () -> {
            closing.countDown();
            awaitQuietly(release);
            storeClosed.set(true);
        }));
        CompletableFuture<Void> first = CompletableFuture.runAsync(llm::close, runnable -> new Thread(runnable).start());
        assertThat(closing.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> second = CompletableFuture.runAsync(llm::close, runnable -> new Thread(runnable).start());
        Thread.sleep(200);
        assertThat(second).as("the second close waits for the first").isNotDone();
        release.countDown();

        second.get(5, TimeUnit.SECONDS);
        assertThat(storeClosed).isTrue();
        first.get(5, TimeUnit.SECONDS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code store}, except that closing it runs {@code onClose}. */
    private static TelemetryStore closingWith(TelemetryStore store, Runnable onClose) {
        return new ForwardingTelemetryStore(store) {
            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    @Test
    void executeAsync_completesWithResponse() throws Exception {
        scripts.answer("claude", "async", Usage.unknown(), null);
        assertThat(start(twoTools()).route(review()).executeAsync().get(5, TimeUnit.SECONDS).text())
                .isEqualTo("async");
    }

    @Test
    void route_unknownAgent_isInvalidRequestAndRunsNothing() {
        assertThatThrownBy(() -> start(twoTools()).route(LlmRequest.builder("x").agent("nobody").build()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).isEqualTo("unknown agent 'nobody'; configured agents: reviewer");
                });
        assertThat(scripts.invocations).isEmpty();
    }

    @Test
    void route_misspelledAgent_suggestsTheClosest() {
        assertThatThrownBy(() -> start(twoTools()).route(LlmRequest.builder("x").agent("reveiwer").build()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("unknown agent 'reveiwer'; configured agents: reviewer; did you mean 'reviewer'?"));
        assertThat(scripts.invocations).isEmpty();
    }

    @Test
    void route_misspelledTool_suggestsTheClosest() {
        assertThatThrownBy(() -> start(twoTools()).route(LlmRequest.builder("x").agent("reviewer").tool("claud")
                .build()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.getMessage())
                        .startsWith("unknown tool 'claud'; configured tools: ").endsWith("; did you mean 'claude'?"));
    }

    @Test
    void route_overrideWithIncompatibleModel_isInvalidRequest() {
        assertThatThrownBy(() -> start(twoTools()).route(LlmRequest.builder("x").agent("reviewer")
                .tool("claude").model("codex").build()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("tool 'claude' does not support model 'codex' (it supports: sonnet)"));
    }

    @Test
    void route_overrideToolAndModel_runsOnlyThatPair() {
        scripts.answer("codex-cli", "forced", Usage.unknown(), null);
        RoutedCall call = start(twoTools()).route(LlmRequest.builder("x").agent("reviewer")
                .tool("codex-cli").model("codex").build());
        assertThat(call.plan().runnable()).extracting(Candidate::tool).containsExactly("codex-cli");
        assertThat(call.execute().text()).isEqualTo("forced");
    }

    @Test
    void route_singleAgentAndNoName_usesThatAgent() {
        scripts.answer("claude", "ok", Usage.unknown(), null);
        assertThat(start(twoTools()).route(LlmRequest.builder("x").build()).plan().agent()).isEqualTo("reviewer");
    }

    @Test
    void listeners_seeRoutingAndEachAttempt_andAThrowingListenerIsIgnored() {
        List<String> events = new CopyOnWriteArrayList<>();
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(1)))
                .answer("codex-cli", "ok", Usage.unknown(), null);
        start(twoTools(), new LlmServiceListener() {
            @Override
            public void onRouted(String requestId, io.llmservice.RoutePlan plan) {
                events.add("routed " + plan.chosen().orElseThrow().tool());
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onAttempt(String requestId, Attempt attempt) {
                events.add(attempt.tool() + " " + attempt.outcome().storedName());
            }
        }).route(review()).execute();
        assertThat(events).containsExactly("routed claude", "claude timeout", "codex-cli success");
    }

    @Test
    void privacyFull_storesRedactedText() {
        scripts.answer("claude", "your key sk-ant-api03-abcdefghijklmnop is leaked", Usage.unknown(), null);
        LlmResponse r = start(twoTools().privacy(Privacy.FULL)).route(LlmRequest.builder(
                "use Bearer abcdefghijklmnopqrstuvwxyz0123 and AIzaSyA1234567890abcdefghijklmnopqrstu").agent("reviewer")
                .build()).execute();
        InvocationRecord rec = store.findByRequest(r.requestId()).get(0);
        assertThat(rec.promptText()).contains("use [REDACTED] and [REDACTED]");
        assertThat(rec.responseText()).contains("your key [REDACTED] is leaked");
    }
}
