package io.llmservice.core.internal;

import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OnLimit;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.Policies;
import io.llmservice.config.Pricing;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.Privacy;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds configurations in code for tests that do not exercise the YAML loader. */
public final class TestConfigs {
    private final Map<String, ModelDefinition> models = new LinkedHashMap<>();
    private final Map<String, ToolDefinition> tools = new LinkedHashMap<>();
    private final Map<String, AgentDefinition> agents = new LinkedHashMap<>();
    private RoutingPolicy routing = RoutingPolicy.defaults();
    private Privacy privacy = Privacy.METADATA;
    private final List<BudgetDefinition> budgets = new ArrayList<>();
    private final List<RateLimitDefinition> rateLimits = new ArrayList<>();
    private ZoneId timezone = ZoneOffset.UTC;
    private BigDecimal maxReservation = new BigDecimal(Policies.DEFAULT_MAX_RESERVATION);

    private io.llmservice.config.CooldownPolicy cooldown = io.llmservice.config.CooldownPolicy.defaults();
    private io.llmservice.config.WhenDown whenDown = io.llmservice.config.WhenDown.REFUSE;

    public static TestConfigs create() {
        return new TestConfigs();
    }

    public TestConfigs model(String id, Tier tier, long contextWindow, String input, String output) {
        models.put(id, new ModelDefinition(id, "test", tier, contextWindow,
                new Pricing(new BigDecimal(input), new BigDecimal(output), new BigDecimal("0.1"), new BigDecimal("1")),
                Optional.empty()));
        return this;
    }

    /** A tool of {@code type} supporting the given models (tool model name = id). */
    public TestConfigs tool(String name, String type, String... modelIds) {
        Map<String, String> m = new LinkedHashMap<>();
        Arrays.stream(modelIds).forEach(id -> m.put(id, id));
        tools.put(name, ToolDefinition.builder().name(name).type(type).binary(name).models(m)
                .timeout(Duration.ofSeconds(30)).versionArgs(List.of("--version")).build());
        return this;
    }

    public TestConfigs tool(ToolDefinition tool) {
        tools.put(tool.name(), tool);
        return this;
    }

    public TestConfigs agent(String name, String team, String tool, String model, RouteTarget... fallbacks) {
        agents.put(name, new AgentDefinition(name, Optional.ofNullable(team), tool, model, List.of(fallbacks),
                List.of()));
        return this;
    }

    public TestConfigs agentWithTools(String name, String tool, String model, List<String> extraTools) {
        agents.put(name, new AgentDefinition(name, Optional.empty(), tool, model, List.of(), extraTools));
        return this;
    }

    public TestConfigs routing(RoutingPolicy routing) {
        this.routing = routing;
        return this;
    }

    public TestConfigs privacy(Privacy privacy) {
        this.privacy = privacy;
        return this;
    }

    public TestConfigs budget(BudgetDefinition budget) {
        budgets.add(budget);
        return this;
    }

    /** A {@code limit} budget with warn_at 0.8. */
    public TestConfigs budget(String name, Scope scope, BudgetPeriod period, String limitUsd, LimitType type,
                              OnExceed onExceed) {
        return budget(new BudgetDefinition(name, BudgetDefinition.DEFAULT_TYPE, scope, period,
                new BigDecimal(limitUsd), type, BudgetDefinition.DEFAULT_WARN_AT, onExceed));
    }

    public TestConfigs rateLimit(RateLimitDefinition limit) {
        rateLimits.add(limit);
        return this;
    }

    public TestConfigs timezone(ZoneId zone) {
        this.timezone = zone;
        return this;
    }

    /** A scope of one key, e.g. {@code scope(ScopeKind.TEAM, "platform")}. */
    public static Scope scope(ScopeKind kind, String value) {
        return new Scope(Map.of(kind, value));
    }

    /** A rate limit that fails at once. */
    public static RateLimitDefinition failingLimit(Scope scope, long requestsPerMinute, long tokensPerMinute) {
        return new RateLimitDefinition(scope, requestsPerMinute, tokensPerMinute, OnLimit.FAIL, Duration.ofSeconds(30));
    }

    public TestConfigs maxReservation(String usd) {
        this.maxReservation = new BigDecimal(usd);
        return this;
    }

    public TestConfigs cooldown(io.llmservice.config.CooldownPolicy cooldown) {
        this.cooldown = cooldown;
        return this;
    }

    /** {@code policies.telemetry.when_down}: what a soft budget does when the store cannot be reached. */
    public TestConfigs whenDown(io.llmservice.config.WhenDown whenDown) {
        this.whenDown = whenDown;
        return this;
    }

    public LlmConfig build() {
        TelemetrySettings telemetry = TelemetrySettings.builder().store("memory").path(Path.of("unused"))
                .privacy(privacy).whenDown(whenDown).build();
        Policies policies = new Policies(routing, budgets, rateLimits, telemetry, timezone, Optional.empty(),
                maxReservation, cooldown);
        return new LlmConfig(models, tools, agents, policies, List.of("test"));
    }
}
