package io.llmservice.core.internal;

import io.llmservice.Candidate;
import io.llmservice.Cooldown;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.NoRouteException;
import io.llmservice.RoutePlan;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.CooldownPolicy;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cooldowns through the whole pipeline: the reviewer prefers claude/sonnet and falls back to
 * codex/gpt; claude fails the way a vendor API does when it answers 429, 503 or 401.
 */
class CooldownPipelineTest {
    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts()
            .answer("codex", "from codex", Usage.of(10, 10, 0, 0), null);
    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final List<LlmService> services = new ArrayList<>();

    private static final ToolReportedErrorException RATE_LIMITED = new ToolReportedErrorException(
            ErrorCode.TOOL_REPORTED_ERROR, "claude", "reported a transient error: rate_limit_error (HTTP 429)", 429, 1,
            true);
    private static final ToolReportedErrorException UNAUTHORIZED = new ToolReportedErrorException(
            ErrorCode.TOOL_AUTHENTICATION, "claude", "authentication failed: invalid x-api-key (HTTP 401)", 401, 1,
            false);

    private LlmService start(CooldownPolicy policy, String apiKey) {
        LlmConfig config = TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .model("gpt", Tier.STANDARD, 200_000, "1", "10")
                .tool(ToolDefinition.builder().name("claude").type(ScriptedAdapter.TYPE).binary("claude")
                        .model("sonnet", "sonnet").env("ANTHROPIC_API_KEY", apiKey).build())
                .tool("codex", ScriptedAdapter.TYPE, "gpt")
                .agent("reviewer", null, "claude", "sonnet", new RouteTarget("codex", "gpt"))
                .cooldown(policy).build();
        LlmService llm = Services.build(config, scripts.provider(), store, clock, Sleeper.real());
        services.add(llm);
        return llm;
    }

    private LlmService start() {
        return start(CooldownPolicy.defaults(), "sk-ant-first");
    }

    @AfterEach
    void close() {
        services.forEach(LlmService::close);
    }

    private static LlmRequest review() {
        return LlmRequest.builder("Review this diff").agent("reviewer").build();
    }

    private long claudeCalls() {
        return scripts.invocations.stream().filter(i -> i.modelId().equals("sonnet")).count();
    }

    @Test
    void threeRateLimits_skipClaudeForFiveMinutes_thenItRunsAgain() {
        LlmService llm = start();
        scripts.fail("claude", RATE_LIMITED);
        for (int i = 0; i < 3; i++) {
            assertThat(llm.route(review()).execute().text()).isEqualTo("from codex");
        }
        clock.advance(Duration.ofSeconds(48));

        RoutePlan plan = llm.route(review()).plan();

        assertThat(plan.chosen()).get().extracting(Candidate::tool).isEqualTo("codex");
        assertThat(plan.excluded()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("claude");
            assertThat(c.reason()).isEqualTo("cooling down for 4m12s after 3 failures (HTTP 429)");
        });
        assertThat(llm.route(review()).execute().text()).isEqualTo("from codex");
        assertThat(claudeCalls()).isEqualTo(3);
        assertThat(llm.cooldowns()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("claude");
            assertThat(c.model()).isEqualTo("sonnet");
            assertThat(c.failures()).isEqualTo(3);
            assertThat(c.remaining()).isEqualTo(Duration.ofSeconds(252));
            assertThat(c.describe()).isEqualTo("cooling down for 4m12s after 3 failures (HTTP 429)");
        });

        clock.advance(Duration.ofSeconds(252));
        assertThat(llm.route(review()).plan().chosen()).get().extracting(Candidate::tool).isEqualTo("claude");
        assertThat(llm.cooldowns()).isEmpty();
    }

    @Test
    void aSuccessBetweenFailures_resetsTheCount() {
        LlmService llm = start();
        scripts.fail("claude", RATE_LIMITED);
        llm.route(review()).execute();
        llm.route(review()).execute();
        scripts.answer("claude", "from claude", Usage.of(1, 1, 0, 0), null);
        assertThat(llm.route(review()).execute().text()).isEqualTo("from claude");
        scripts.fail("claude", RATE_LIMITED);
        llm.route(review()).execute();
        llm.route(review()).execute();

        assertThat(llm.route(review()).plan().chosen()).get().extracting(Candidate::tool).isEqualTo("claude");
        assertThat(llm.cooldowns()).isEmpty();
    }

    @Test
    void serverErrors_count_butTimeoutsDoNot() {
        LlmService llm = start();
        scripts.fail("claude", new ToolTimeoutException("claude", Duration.ofSeconds(30)));
        for (int i = 0; i < 4; i++) {
            llm.route(review()).execute();
        }
        assertThat(llm.cooldowns()).isEmpty();

        scripts.fail("claude", new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, "claude",
                "reported a transient error: overloaded_error (HTTP 529)", 529, 1, true));
        for (int i = 0; i < 3; i++) {
            llm.route(review()).execute();
        }
        assertThat(llm.cooldowns()).extracting(Cooldown::reason).containsExactly("HTTP 529");
    }

    @Test
    void authenticationFailure_coolsAtOnce_untilTheKeyChanges() {
        LlmService first = start();
        scripts.fail("claude", UNAUTHORIZED);
        assertThatThrownBy(() -> first.route(review()).execute()).isInstanceOf(LlmServiceException.class);

        RoutePlan plan = first.route(review()).plan();
        assertThat(plan.excluded()).singleElement().extracting(Candidate::reason)
                .isEqualTo("cooling down for 1h after 1 failure (authentication failed (HTTP 401))");
        assertThat(first.route(review()).execute().text()).isEqualTo("from codex");
        assertThat(claudeCalls()).isEqualTo(1);

        // The same store, the same key: still cooling. Another key: the cooldown does not apply.
        assertThat(start(CooldownPolicy.defaults(), "sk-ant-first").cooldowns()).hasSize(1);
        LlmService fixed = start(CooldownPolicy.defaults(), "sk-ant-second");
        assertThat(fixed.cooldowns()).isEmpty();
        assertThat(fixed.route(review()).plan().chosen()).get().extracting(Candidate::tool).isEqualTo("claude");
    }

    @Test
    void twoProjectsSharingTheStore_withAnotherKey_doNotEndEachOthersCooldown() {
        LlmService projectA = start(CooldownPolicy.defaults(), "sk-ant-revoked");
        LlmService projectB = start(CooldownPolicy.defaults(), "sk-ant-valid");
        scripts.fail("claude", RATE_LIMITED);
        assertThat(projectB.route(review()).execute().text()).isEqualTo("from codex"); // B counts one 429
        scripts.fail("claude", UNAUTHORIZED);
        assertThatThrownBy(() -> projectA.route(review()).execute()).isInstanceOf(LlmServiceException.class);
        scripts.answer("claude", "from claude", Usage.of(1, 1, 0, 0), null);

        assertThat(projectB.route(review()).execute().text()).isEqualTo("from claude");

        assertThat(projectA.cooldowns()).singleElement().satisfies(c -> assertThat(c.reason())
                .isEqualTo("authentication failed (HTTP 401)"));
        assertThat(projectA.route(review()).plan().chosen()).get().extracting(Candidate::tool).isEqualTo("codex");
    }

    @Test
    void authenticationFailure_coolsEveryModelOfTheTool_notOnlyTheOneThatRan() {
        LlmConfig config = TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .model("haiku", Tier.ECONOMY, 200_000, "1", "5")
                .model("gpt", Tier.STANDARD, 200_000, "1", "10")
                .tool(ToolDefinition.builder().name("claude").type(ScriptedAdapter.TYPE).binary("claude")
                        .model("sonnet", "sonnet").model("haiku", "haiku").build())
                .tool("codex", ScriptedAdapter.TYPE, "gpt")
                .agent("reviewer", null, "claude", "sonnet", new RouteTarget("claude", "haiku"),
                        new RouteTarget("codex", "gpt")).build();
        LlmService llm = Services.build(config, scripts.provider(), store, clock, Sleeper.real());
        services.add(llm);
        scripts.fail("claude", UNAUTHORIZED);
        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOf(LlmServiceException.class);

        RoutePlan plan = llm.route(review()).plan();

        assertThat(plan.chosen()).as(plan.explain()).get().extracting(Candidate::tool).isEqualTo("codex");
        assertThat(plan.excluded()).extracting(Candidate::model).containsExactly("sonnet", "haiku");
        assertThat(llm.cooldowns()).extracting(Cooldown::model).containsExactly("haiku", "sonnet");
        assertThat(scripts.invocations).hasSize(1);
    }

    @Test
    void everyCandidateCooling_noRoute_saysWhenTheFirstMayRunAgain() {
        LlmService llm = start();
        scripts.fail("claude", UNAUTHORIZED);
        scripts.fail("codex", new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, "codex",
                "reported a transient error: 429 Too Many Requests", 429, 1, true));
        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOf(LlmServiceException.class);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOf(LlmServiceException.class);
        }

        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOfSatisfying(NoRouteException.class,
                e -> assertThat(e.getMessage()).startsWith("no route for agent 'reviewer': every candidate is cooling"
                        + " down; the first, codex/gpt, may run again in 5m (at 2026-12-01T10:08:00Z)"));
    }

    @Test
    void resetCooldown_runsThePairAgain_andUnknownNamesAreRefused() {
        LlmService llm = start();
        scripts.fail("claude", UNAUTHORIZED);
        assertThatThrownBy(() -> llm.route(review()).execute()).isInstanceOf(LlmServiceException.class);
        assertThat(llm.cooldowns()).hasSize(1);

        assertThat(llm.resetCooldown("claude", "sonnet")).isEqualTo(1);

        assertThat(llm.cooldowns()).isEmpty();
        assertThat(llm.route(review()).plan().chosen()).get().extracting(Candidate::tool).isEqualTo("claude");
        assertThatThrownBy(() -> llm.resetCooldown("nope")).isInstanceOfSatisfying(LlmServiceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> llm.resetCooldown("claude", "gpt")).isInstanceOfSatisfying(LlmServiceException.class,
                e -> assertThat(e.getMessage()).contains("tool 'claude' has no model 'gpt'"));
    }

    @Test
    void off_neverSkips() {
        LlmService llm = start(CooldownPolicy.off(), "k");
        scripts.fail("claude", RATE_LIMITED);
        for (int i = 0; i < 5; i++) {
            llm.route(review()).execute();
        }
        assertThat(claudeCalls()).isEqualTo(5);
        assertThat(llm.cooldowns()).isEmpty();
    }

    // ---- with a budget that downgrades -----------------------------------------------------

    /** claude/sonnet is refused by its downgrade budget after one $0.01 call; claude/haiku and codex have none. */
    private LlmService startWithDowngradeBudget() {
        LlmConfig config = TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "0", "39.0625")
                .model("haiku", Tier.ECONOMY, 200_000, "0", "3.90625")
                .model("gpt", Tier.STANDARD, 200_000, "0", "39.0625")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet", "haiku")
                .tool("codex", ScriptedAdapter.TYPE, "gpt")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex", "gpt"))
                .budget("sonnet-daily", TestConfigs.scope(ScopeKind.MODEL, "sonnet"), BudgetPeriod.DAILY, "0.015",
                        LimitType.HARD, OnExceed.DOWNGRADE)
                .cooldown(new CooldownPolicy(true, 1, Duration.ofMinutes(5), Duration.ofHours(1))).build();
        LlmService llm = Services.build(config, scripts.provider(), store, clock, Sleeper.real());
        services.add(llm);
        scripts.answer("claude", "from sonnet", Usage.of(10, 256, 0, 0), new BigDecimal("0.01"));
        assertThat(llm.route(review()).execute().text()).isEqualTo("from sonnet");
        return llm;
    }

    @Test
    void downgradedAttempt_failing_coolsTheModelThatRan_notTheOneRequested() {
        LlmService llm = startWithDowngradeBudget();
        scripts.fail("claude", RATE_LIMITED);

        assertThat(llm.route(review()).execute().text()).isEqualTo("from codex");

        assertThat(scripts.invocations).extracting(i -> i.modelId()).containsExactly("sonnet", "haiku", "gpt");
        assertThat(llm.cooldowns()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("claude");
            assertThat(c.model()).isEqualTo("haiku");
        });
    }

    @Test
    void downgrade_skipsACoolingModel_andFallsBackInstead() {
        LlmService llm = startWithDowngradeBudget();
        scripts.fail("claude", RATE_LIMITED);
        llm.route(review()).execute(); // haiku ran (downgraded) and now cools down
        scripts.answer("claude", "from claude", Usage.of(10, 256, 0, 0), new BigDecimal("0.001"));

        assertThat(llm.route(review()).execute().text()).isEqualTo("from codex");

        assertThat(scripts.invocations).extracting(i -> i.modelId()).containsExactly("sonnet", "haiku", "gpt", "gpt");
    }
}
