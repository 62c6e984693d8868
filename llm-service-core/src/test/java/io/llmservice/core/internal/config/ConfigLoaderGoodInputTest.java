package io.llmservice.core.internal.config;

import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.DefaultLocations;
import io.llmservice.config.LimitType;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OnLimit;
import io.llmservice.config.OsFamily;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import io.llmservice.config.Policies;
import io.llmservice.config.Pricing;
import io.llmservice.config.Privacy;
import io.llmservice.config.PromptMode;
import io.llmservice.config.RateLimitDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.llmservice.core.internal.config.ConfigLoaderTest.LOADER;
import static io.llmservice.core.internal.config.ConfigLoaderTest.TYPES;
import static org.assertj.core.api.Assertions.assertThat;

/** Configurations that must load, into exactly the expected records. */
class ConfigLoaderGoodInputTest {
    private static final String HOME = System.getProperty("user.home");

    @Test
    void load_fullConfig_exactRecords() {
        String file = "src/test/resources/config/good/full.yaml";
        LlmConfig config = LOADER.load(ConfigSource.path(Path.of(file)), Map.of("ACME_TOKEN", "t0k"));

        assertThat(config.sources()).containsExactly("builtin:catalogue.yaml", file);
        assertThat(config.models()).hasSize(10);
        assertThat(config.models().get("acme-small")).isEqualTo(new ModelDefinition("acme-small", "acme",
                Tier.ECONOMY, 32000, new Pricing(new BigDecimal("0.20"), new BigDecimal("0.80"),
                new BigDecimal("0.02"), new BigDecimal("0")), Optional.of(LocalDate.of(2025, 10, 1))));

        Map<OutputField, List<String>> paths = new LinkedHashMap<>();
        paths.put(OutputField.TEXT, List.of("$[?(@.type == 'answer')].text"));
        paths.put(OutputField.INPUT_TOKENS, List.of("$[*].usage.in"));
        paths.put(OutputField.OUTPUT_TOKENS, List.of("$[*].usage.out", "$[*].usage.reasoning"));
        assertThat(config.tools().get("acme-cli")).isEqualTo(ToolDefinition.builder().name("acme-cli").type("cli")
                .binary("acme").binaryByOs(Map.of(OsFamily.WINDOWS, "acme.exe"))
                .args(List.of("run", "--model", "{model}", "--prompt={prompt}", "--cwd", "{workdir}"))
                .prompt(PromptMode.ARGUMENT)
                .env(Map.of("ACME_TOKEN", "t0k", "ACME_REGION", "eu"))   // ACME_EMPTY expanded to "" and left out
                .model("acme-small", "small-v1").output(new OutputSpec(OutputFormat.JSONL, paths, true))
                .timeout(Duration.ofSeconds(90)).retriableWhen(List.of("busy")).versionArgs(List.of("version"))
                .maxOutputBytes(1_048_576).leaveDescendants(true).build());

        ToolDefinition builtin = LOADER.builtIn().tools().get("claude-code");
        ToolDefinition myClaude = config.tools().get("my-claude");
        assertThat(myClaude.binary()).isEqualTo("/opt/claude/bin/claude");
        assertThat(myClaude.env()).isEqualTo(claudeEnvWith("CLAUDE_CONFIG_DIR", "/etc/claude"));
        assertThat(myClaude).usingRecursiveComparison().ignoringFields("name", "binary", "env").isEqualTo(builtin);

        assertThat(config.agents()).containsExactly(
                Map.entry("code-reviewer", new AgentDefinition("code-reviewer", Optional.of("platform"), "my-claude",
                        "claude-sonnet-4-5", List.of(new RouteTarget("codex", "gpt-5-codex"),
                        new RouteTarget("acme-cli", "acme-small")), List.of("gemini-cli"))),
                Map.entry("doc-writer", new AgentDefinition("doc-writer", Optional.empty(), "acme-cli", "acme-small",
                        List.of(), List.of())));

        Map<Complexity, Tier> tiers = RoutingPolicy.defaultTiers();
        tiers.put(Complexity.COMPLEX, Tier.STANDARD);
        assertThat(config.policies()).isEqualTo(Policies.builder()
                .routing(new RoutingPolicy("cost-optimized", 1500, tiers))
                .budgets(List.of(new BudgetDefinition("platform-daily", "limit", new Scope(Map.of(ScopeKind.TEAM, "platform")),
                                BudgetPeriod.DAILY, new BigDecimal("25.00"), LimitType.HARD, new BigDecimal("0.75"),
                                OnExceed.DOWNGRADE, Optional.of(new BigDecimal("0.02"))),
                        new BudgetDefinition("everything-monthly", "limit", Scope.global(), BudgetPeriod.MONTHLY,
                                new BigDecimal("500"), LimitType.SOFT, new BigDecimal("0.8"), OnExceed.BLOCK)))
                .rateLimit(new RateLimitDefinition(new Scope(Map.of(ScopeKind.AGENT, "code-reviewer",
                        ScopeKind.MODEL, "claude-sonnet-4-5")), 20, 400_000, OnLimit.WAIT, Duration.ofMillis(500)))
                .telemetry(TelemetrySettings.builder().store("memory").path(Path.of(HOME, "telemetry-test"))
                        .privacy(Privacy.FULL).build())
                .timezone(ZoneId.of("Europe/Berlin")).defaultAgent("doc-writer").maxReservationUsd(new BigDecimal("5.00"))
                .build());
    }

    @Test
    void load_minimalConfig_fillsDefaults(@TempDir Path home) {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", "agents:\n  a: {tool: codex, model: gpt-5}\n"),
                Map.of("HOME", home.toString()));
        assertThat(config.policies()).isEqualTo(Policies.builder()
                .telemetry(TelemetrySettings.builder().store("h2").path(DefaultLocations.of(OsFamily.current(),
                        Map.of("HOME", home.toString()), home).dataDirectory().resolve("telemetry")).build())
                .build());
        RateLimitDefinition limit = LOADER.load(ConfigSource.text("llm.yaml",
                "policies:\n  rate_limits: [{scope: {}, requests_per_minute: 5}]\n"), Map.of())
                .policies().rateLimits().get(0);
        assertThat(limit).isEqualTo(new RateLimitDefinition(Scope.global(), 5, 0, OnLimit.FAIL,
                Duration.ofSeconds(30)));
    }

    @Test
    void load_withoutH2Store_defaultsTelemetryToMemory() {
        ConfigLoader loader = new ConfigLoader(new KnownTypes(TYPES.toolTypes(), TYPES.routingStrategies(),
                TYPES.budgetTypes(), Set.of("memory")));
        assertThat(loader.load(ConfigSource.text("llm.yaml", "models: {}\n"), Map.of()).policies().telemetry().store())
                .isEqualTo("memory");
    }

    @Test
    void load_toolWithoutOutput_readsText() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml",
                "tools:\n  t: {binary: t, models: {gpt-5: g}}\n"), Map.of());
        ToolDefinition t = config.tools().get("t");
        assertThat(t.output()).isEqualTo(OutputSpec.text());
        assertThat(t.type()).isEqualTo("cli");
        assertThat(t.prompt()).isEqualTo(PromptMode.STDIN);
        assertThat(t.timeout()).isEqualTo(ToolDefinition.DEFAULT_TIMEOUT);
        assertThat(t.versionArgs()).containsExactly("--version");
        assertThat(t.maxOutputBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void builtIn_catalogueLoadsClean() {
        LlmConfig config = LOADER.builtIn();
        assertThat(config.sources()).containsExactly("builtin:catalogue.yaml");
        assertThat(config.tools()).containsOnlyKeys("claude-code", "codex", "gemini-cli");
        assertThat(config.models()).containsOnlyKeys("claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5",
                "gpt-5", "gpt-5-codex", "gpt-5-codex-mini", "gemini-2.5-pro", "gemini-2.5-flash",
                "gemini-2.5-flash-lite");
        assertThat(config.models().values()).allSatisfy(m ->
                assertThat(m.pricesAsOf()).isPresent());
        assertThat(config.agents()).isEmpty();
        ToolDefinition codex = config.tools().get("codex");
        assertThat(codex.output().format()).isEqualTo(OutputFormat.JSONL);
        assertThat(codex.output().inputIncludesCacheRead()).isTrue();
        assertThat(codex.output().paths(OutputField.ERROR_MESSAGE)).hasSize(2);
        // every variable of the catalogue has a default, and empty ones are not passed on
        assertThat(config.tools().get("claude-code").env()).isEqualTo(CLAUDE_ENV);
    }

    /** The built-in claude-code's fixed variables: no retries of its own, a bound on a silent API, no extra traffic. */
    static final Map<String, String> CLAUDE_ENV = Map.of("CLAUDE_CODE_MAX_RETRIES", "0", "API_TIMEOUT_MS", "60000",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1", "DISABLE_AUTOUPDATER", "1", "DISABLE_TELEMETRY", "1",
            "DISABLE_ERROR_REPORTING", "1");

    private static Map<String, String> claudeEnvWith(String key, String value) {
        Map<String, String> env = new java.util.HashMap<>(CLAUDE_ENV);
        env.put(key, value);
        return env;
    }

    @Test
    void builtIn_environmentReachesCatalogueVariables() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", "models: {}\n"),
                Map.of("ANTHROPIC_API_KEY", "sk-test"));
        assertThat(config.tools().get("claude-code").env()).containsEntry("ANTHROPIC_API_KEY", "sk-test");
    }

    @Test
    void load_splitDirectory_mergesFiles() {
        String dir = "src/test/resources/config/split";
        LlmConfig config = LOADER.load(ConfigSource.path(Path.of(dir)), Map.of());
        assertThat(config.sources()).containsExactly("builtin:catalogue.yaml", dir + "/models.yaml",
                dir + "/tools.yaml", dir + "/agents.yaml", dir + "/policies.yaml");
        assertThat(config.agents().get("doc-writer").preferred()).isEqualTo(new RouteTarget("acme-cli", "acme-small"));
        assertThat(config.policies().defaultAgent()).contains("doc-writer");
        assertThat(config.models()).containsKey("acme-small");
    }

    @Test
    void load_extends_mergesMappingsAndReplacesListsAndScalars() {
        LlmConfig config = LOADER.load(ConfigSource.path(Path.of("src/test/resources/config/extends/chain.yaml")),
                Map.of());
        ToolDefinition builtin = LOADER.builtIn().tools().get("claude-code");

        // same name + extends itself: the built-in with two keys changed
        ToolDefinition claude = config.tools().get("claude-code");
        assertThat(claude.binary()).isEqualTo("/usr/local/bin/claude");
        assertThat(claude.env()).isEqualTo(claudeEnvWith("HTTPS_PROXY", "http://proxy:3128"));
        assertThat(claude).usingRecursiveComparison().ignoringFields("binary", "env").isEqualTo(builtin);

        // extends the user's claude-code: inherits its changes; list replaced; mappings merged key by key
        ToolDefinition fast = config.tools().get("claude-fast");
        assertThat(fast.binary()).isEqualTo("/usr/local/bin/claude");
        assertThat(fast.args()).containsExactly("-p", "--model", "{model}");
        assertThat(fast.models()).containsEntry("claude-haiku-4-5", "haiku")
                .containsEntry("claude-opus-4-5", "claude-opus-4-5").hasSize(3);
        assertThat(fast.output().paths(OutputField.TEXT)).containsExactly("$.answer");
        assertThat(fast.output().paths(OutputField.COST_USD)).containsExactly("$.total_cost_usd");
        assertThat(fast.output().format()).isEqualTo(OutputFormat.JSON);

        // same name without extends: replaces the built-in entirely
        ToolDefinition codex = config.tools().get("codex");
        assertThat(codex.binary()).isEqualTo("my-codex");
        assertThat(codex.models()).isEqualTo(Map.of("gpt-5", "gpt-5"));
        assertThat(codex.output()).isEqualTo(OutputSpec.text());
        assertThat(codex.args()).isEmpty();
    }

    @Test
    void load_extendsCycleOrUnknown_reportedOnce() {
        String f = "src/test/resources/config/extends/cycle.yaml";
        assertThat(ConfigLoaderTest.problems(f)).containsExactly(
                f + ":5:14: tools.b.extends: extends cycle a -> b -> a; remove one of these extends",
                f + ":7:14: tools.c.extends: unknown tool 'claud-code'; did you mean 'claude-code'?");
    }

    @Test
    void load_variableDefaultsAndEscapes() {
        String yaml = """
                tools:
                  t:
                    binary: ${T_BIN:-/usr/bin/t}
                    args: ["--tag=$${NOT_A_VAR}", "${EMPTY:-fallback}", "${SET}-x"]
                    models: {gpt-5: g}
                """;
        ToolDefinition t = LOADER.load(ConfigSource.text("llm.yaml", yaml), Map.of("EMPTY", "", "SET", "v"))
                .tools().get("t");
        assertThat(t.binary()).isEqualTo("/usr/bin/t");
        assertThat(t.args()).containsExactly("--tag=${NOT_A_VAR}", "fallback", "v-x");
    }

    @Test
    void load_userModelReplacesBuiltIn() {
        String yaml = "models:\n  gpt-5:\n    provider: openai\n    tier: standard\n    context_window: 1000\n"
                + "    pricing: {input: 2, output: 3, cache_read: 0, cache_write: 0}\n";
        ModelDefinition gpt5 = LOADER.load(ConfigSource.text("llm.yaml", yaml), Map.of()).models().get("gpt-5");
        assertThat(gpt5.contextWindow()).isEqualTo(1000);
        assertThat(gpt5.pricesAsOf()).isEmpty();
    }

    @Test
    void load_exampleConfiguration_loadsClean() {
        Path example = Path.of("../examples/src/main/resources/llm-service.yaml");
        LlmConfig config = LOADER.load(ConfigSource.path(example), Map.of());
        assertThat(config.agents()).containsOnlyKeys("code-reviewer", "doc-writer");
        assertThat(config.agents().get("code-reviewer").fallbacks())
                .containsExactly(new RouteTarget("codex", "gpt-5-codex"));
        assertThat(config.policies().routing().strategy()).isEqualTo("cost-optimized");
        assertThat(config.policies().budgets()).extracting(BudgetDefinition::limitType)
                .containsExactly(LimitType.HARD, LimitType.SOFT);
        assertThat(config.tools().get("claude-code").binary()).isEqualTo("claude");
        assertThat(config.tools().get("claude-code").timeout()).isEqualTo(Duration.ofMinutes(15));
    }
}
