package io.llmservice.core.internal;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.NoRouteException;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.RequestInfo;
import io.llmservice.RoutePlan;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.llmservice.core.internal.TestConfigs.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The listener events metrics are built on, through the whole pipeline: who an attempt ran for, a
 * fallback, a budget refusal naming its budget, a rate-limit wait, a request refused before any
 * attempt; and that a listener throwing from every event breaks no call.
 */
class ListenerEventsTest {
    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts();
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final ManualTicker ticker = new ManualTicker();
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final Sleeper sleeper = (d, cancellation) -> {
        sleeps.add(d);
        clock.advance(d);
        ticker.advance(d);
    };
    private final Recorder events = new Recorder();
    private LlmService llm;

    /** Every event as one line, in order. */
    static final class Recorder implements LlmServiceListener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void onRouted(String requestId, RoutePlan plan) {
            lines.add("routed " + plan.agent());
        }

        @Override
        public void onAttempt(RequestInfo request, Attempt attempt) {
            lines.add("attempt " + who(request) + " " + attempt.tool() + "/" + attempt.model() + " "
                    + attempt.outcome().storedName());
        }

        @Override
        public void onFallback(RequestInfo request, Attempt failed, Candidate next) {
            lines.add("fallback " + who(request) + " " + failed.tool() + "/" + failed.model() + " -> " + next.tool()
                    + "/" + next.model());
        }

        @Override
        public void onBudgetRefused(RequestInfo request, String tool, String model, BudgetExceededException refusal,
                                    boolean downgraded) {
            lines.add("budget " + who(request) + " " + refusal.policy() + " " + tool + "/" + model
                    + (downgraded ? " downgraded" : " blocked"));
        }

        @Override
        public void onRateLimitWait(RequestInfo request, String scope, Duration wait) {
            lines.add("wait " + who(request) + " " + scope + " " + wait);
        }

        @Override
        public void onRequestRefused(RequestInfo request, Outcome outcome, LlmServiceException reason) {
            lines.add("refused " + who(request) + " " + outcome.storedName() + " " + reason.code().id());
        }

        private static String who(RequestInfo r) {
            assertThat(r.requestId()).isNotBlank();
            return r.agent() + "@" + r.team().orElse("-");
        }
    }

    /** Throws from every event. */
    static final class Throwing implements LlmServiceListener {
        @Override
        public void onRouted(String requestId, RoutePlan plan) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void onAttempt(RequestInfo request, Attempt attempt) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void onFallback(RequestInfo request, Attempt failed, Candidate next) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void onBudgetRefused(RequestInfo request, String tool, String model, BudgetExceededException refusal,
                                    boolean downgraded) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void onRateLimitWait(RequestInfo request, String scope, Duration wait) {
            throw new IllegalStateException("boom");
        }

        @Override
        public void onRequestRefused(RequestInfo request, Outcome outcome, LlmServiceException reason) {
            throw new IllegalStateException("boom");
        }
    }

    private static TestConfigs models() {
        return TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "0", "39.0625")
                .model("haiku", Tier.ECONOMY, 200_000, "0", "3.90625")
                .model("codex", Tier.STANDARD, 200_000, "0", "39.0625")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet", "haiku")
                .tool("codex-cli", ScriptedAdapter.TYPE, "codex")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"))
                .agent("writer", null, "claude", "sonnet");
    }

    private LlmService start(TestConfigs configs, LlmServiceListener... listeners) {
        llm = Services.build(configs.build(), scripts.provider(), store, clock, ticker, sleeper, listeners);
        return llm;
    }

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
    }

    private static LlmRequest request(String agent) {
        return LlmRequest.builder("Review this diff").agent(agent).build();
    }

    @Test
    void attempt_carriesAgentAndTeam_andAFallbackIsToldBetweenTheAttempts() {
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(30)))
                .answer("codex-cli", "ok", Usage.of(10, 20, 0, 0), new BigDecimal("0.01"));
        start(models(), events);

        llm.route(request("reviewer")).execute();

        assertThat(events.lines).containsExactly(
                "routed reviewer",
                "attempt reviewer@platform claude/sonnet timeout",
                "fallback reviewer@platform claude/sonnet -> codex-cli/codex",
                "attempt reviewer@platform codex-cli/codex success");
    }

    @Test
    void attempt_agentWithoutTeam_hasNoTeam() {
        scripts.answer("claude", "ok", Usage.of(10, 20, 0, 0), null);
        start(models(), events);

        llm.route(request("writer")).execute();

        assertThat(events.lines).containsExactly("routed writer", "attempt writer@- claude/sonnet success");
    }

    @Test
    void hardBudgetRefusal_namesTheBudget_beforeTheBlockedAttempt() {
        scripts.answer("claude", "ok", Usage.of(10, 256, 0, 0), new BigDecimal("0.01"));
        start(models().agent("solo", "platform", "claude", "sonnet").budget("team-daily",
                scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "0.015", LimitType.HARD, OnExceed.BLOCK), events);
        llm.route(request("solo")).execute();
        events.lines.clear();

        assertThatThrownBy(() -> llm.route(request("solo")).execute()).isInstanceOf(BudgetExceededException.class);

        assertThat(events.lines).containsExactly(
                "routed solo",
                "budget solo@platform team-daily claude/sonnet blocked",
                "attempt solo@platform claude/sonnet budget_blocked");
    }

    @Test
    void downgradeBudgetRefusal_saysTheAttemptRunsDowngraded() {
        scripts.answer("claude", "ok", Usage.of(10, 256, 0, 0), new BigDecimal("0.01"));
        start(models().agent("solo", "platform", "claude", "sonnet").budget("team-daily",
                scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "0.015", LimitType.HARD, OnExceed.DOWNGRADE),
                events);
        llm.route(request("solo")).execute();
        events.lines.clear();

        assertThat(llm.route(request("solo")).execute().model()).isEqualTo("haiku");

        assertThat(events.lines).containsExactly(
                "routed solo",
                "budget solo@platform team-daily claude/sonnet downgraded",
                "attempt solo@platform claude/haiku success");
    }

    @Test
    void rateLimitWait_isToldBeforeEachWait_andARefusalEndsTheRequest() {
        scripts.answer("claude", "ok", Usage.of(10, 20, 0, 0), null);
        start(models().rateLimit(new RateLimitDefinition(scope(ScopeKind.AGENT, "writer"), 1, 0, OnLimit.WAIT,
                Duration.ofSeconds(90))).rateLimit(TestConfigs.failingLimit(scope(ScopeKind.AGENT, "reviewer"), 1, 0)),
                events);
        llm.route(request("writer")).execute();
        llm.route(request("reviewer")).execute();
        events.lines.clear();

        assertThatThrownBy(() -> llm.route(request("reviewer")).execute()).isInstanceOf(RateLimitedException.class);
        llm.route(request("writer")).execute();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
        assertThat(events.lines).containsExactly(
                "routed reviewer",
                "refused reviewer@platform rate_limited LLM-021",
                "routed writer",
                "wait writer@- {agent: writer} PT1M",
                "attempt writer@- claude/sonnet success");
    }

    @Test
    void noRoute_isARefusedRequest() {
        scripts.notInstalled("claude").notInstalled("codex-cli");
        start(models(), events);

        assertThatThrownBy(() -> llm.route(request("reviewer")).execute()).isInstanceOf(NoRouteException.class);

        assertThat(events.lines).containsExactly("routed reviewer", "refused reviewer@platform no_route "
                + ErrorCode.NO_ROUTE.id());
    }

    @Test
    void aListenerThrowingFromEveryEvent_breaksNoCall_andTheNextListenerStillHearsAll() {
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(30)))
                .answer("codex-cli", "ok", Usage.of(10, 256, 0, 0), new BigDecimal("0.01"));
        start(models().budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "0.015",
                LimitType.HARD, OnExceed.BLOCK).rateLimit(new RateLimitDefinition(Scope.global(), 1, 0, OnLimit.WAIT,
                Duration.ofSeconds(90))), new Throwing(), events);

        assertThat(llm.route(request("reviewer")).execute().text()).isEqualTo("ok");
        assertThatThrownBy(() -> llm.route(request("reviewer")).execute()).isInstanceOf(BudgetExceededException.class);

        assertThat(events.lines).containsExactly(
                "routed reviewer",
                "attempt reviewer@platform claude/sonnet timeout",
                "fallback reviewer@platform claude/sonnet -> codex-cli/codex",
                "attempt reviewer@platform codex-cli/codex success",
                "routed reviewer",
                "wait reviewer@platform {global} PT1M",
                "budget reviewer@platform team-daily claude/sonnet blocked",
                "attempt reviewer@platform claude/sonnet budget_blocked");
    }

    @Test
    void aListenerOfTheOlderAttemptEvent_isStillCalled() {
        scripts.answer("claude", "ok", Usage.of(10, 20, 0, 0), null);
        List<String> seen = new CopyOnWriteArrayList<>();
        start(models(), new LlmServiceListener() {
            @Override
            public void onAttempt(String requestId, Attempt attempt) {
                seen.add(requestId + " " + attempt.outcome().storedName());
            }
        });

        String id = llm.route(request("writer")).execute().requestId();

        assertThat(seen).containsExactly(id + " success");
    }
}
