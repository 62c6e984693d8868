package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ConfigSource;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every bad input of issue 2, each asserting the exact rendered problems (file, line, column,
 * path, message), plus the ordering of several problems at once.
 */
class ConfigLoaderTest {
    static final KnownTypes TYPES = new KnownTypes(Set.of("cli"), Set.of("preference", "cost-optimized"),
            Set.of("limit"), Set.of("memory", "h2"));
    static final ConfigLoader LOADER = new ConfigLoader(TYPES);
    static final String BAD = "src/test/resources/config/bad/";

    /** The rendered problems of loading a file or directory; fails when it loads. */
    static List<String> problems(String path) {
        return problems(ConfigSource.path(Path.of(path)), Map.of());
    }

    static List<String> problems(ConfigSource source, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LOADER.load(source, env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getCause()).as("no stack trace of a parser or validator").isNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    // ---- malformed YAML ---------------------------------------------------------------

    @Test
    void load_tabIndentation_reportsTab() {
        String f = BAD + "tab-indentation.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":3:1: invalid YAML: a tab character; YAML indentation must use spaces, not tabs");
    }

    @Test
    void load_unclosedQuote_pointsAtOpeningQuote() {
        String f = BAD + "unclosed-quote.yaml";
        assertThat(problems(f)).containsExactly(f + ":4:13: invalid YAML: unclosed quote; the quoted text that"
                + " starts here is never closed: add the closing quote");
    }

    @Test
    void load_emptyFile_isAnError() {
        String f = BAD + "empty.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":1:1: the file is empty; write at least one of the sections models, tools, agents, policies");
    }

    @Test
    void load_onlyComments_isEmpty() {
        String f = BAD + "comments-only.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":1:1: the file is empty; write at least one of the sections models, tools, agents, policies");
    }

    @Test
    void load_topLevelList_isNotAMapping() {
        String f = BAD + "top-level-list.yaml";
        assertThat(problems(f)).containsExactly(f + ":1:1: the top level must be a mapping of sections (models,"
                + " tools, agents, policies), not a list; start the file with e.g. \"models:\"");
    }

    @Test
    void load_unknownSection_suggestsClosest() {
        String f = BAD + "unknown-section.yaml";
        assertThat(problems(f)).containsExactly(f + ":2:1: agent: unknown section 'agent'; did you mean 'agents'?");
    }

    @Test
    void load_unknownSectionFarFromAny_listsSections() {
        assertThat(problems(ConfigSource.text("llm.yaml", "pipelines: {}\n"), Map.of())).containsExactly(
                "llm.yaml:1:1: pipelines: unknown section 'pipelines'; remove it or use one of: models, tools,"
                        + " agents, policies");
    }

    @Test
    void load_duplicateKeys_namesBothPositions() {
        String f = BAD + "duplicate-keys.yaml";
        assertThat(problems(f)).containsExactly(f + ":5:5: tools.my-tool.binary: duplicate key 'binary' (first"
                + " defined at " + f + ":3:5); remove one of them");
    }

    // ---- keys and types ---------------------------------------------------------------

    @Test
    void load_unknownKeyInTool_suggestsBinary() {
        String f = BAD + "unknown-key.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":3:5: tools.my-tool: binary is required for a tool of type cli; add binary: <name on PATH or a"
                        + " path>",
                f + ":4:5: tools.my-tool.binray: unknown key 'binray'; did you mean 'binary'?");
    }

    @Test
    void load_textWhereNumberBelongs_namesTypeAndValue() {
        String f = BAD + "wrong-type.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":5:21: models.local-llama.context_window: must be a whole number (was \"lots\")");
    }

    @Test
    void load_zeroOrNegativePrices_rejected() {
        String f = BAD + "bad-prices.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":7:14: models.local-llama.pricing.input: must be > 0 (was 0)",
                f + ":8:15: models.local-llama.pricing.output: must be > 0 (was -0.5)",
                f + ":9:19: models.local-llama.pricing.cache_read: must be >= 0 (was -1)");
    }

    @Test
    void load_badDurations_rejected() {
        String f = BAD + "bad-durations.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":4:14: tools.codex.timeout: must be a positive duration like 90s or 10m (was \"10 minutes\")",
                f + ":7:14: tools.gemini-cli.timeout: must be a positive duration like 90s or 10m (was \"-5s\")");
    }

    @Test
    void load_leaveDescendantsNotABoolean_rejected() {
        assertThat(problems(ConfigSource.text("llm.yaml", "tools:\n  codex:\n    extends: codex\n"
                + "    leave_descendants: yes\n"), Map.of()))
                .containsExactly("llm.yaml:4:24: tools.codex.leave_descendants: must be true or false (was \"yes\")");
    }

    @Test
    void load_leaveDescendants_defaultsToFalse_andIsInherited() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", "tools:\n  keep:\n    extends: codex\n"
                + "    leave_descendants: true\n  child:\n    extends: keep\n"), Map.of());

        assertThat(config.tools().get("codex").leaveDescendants()).isFalse();
        assertThat(config.tools().get("keep").leaveDescendants()).isTrue();
        assertThat(config.tools().get("child").leaveDescendants()).isTrue();
    }

    // ---- args_prepend / args_append and {options.NAME} -------------------------------

    @Test
    void load_argsAppendAndPrepend_addToTheInheritedArgv_baseItemsFirst() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", """
                tools:
                  base:
                    binary: acme
                    args: ["run", "{model}"]
                    args_prepend: ["--base-first"]
                    args_append: ["--base-last"]
                    models: {gpt-5: gpt-5}
                  child:
                    extends: base
                    args_prepend: ["--child-first"]
                    args_append: ["--child-last", "{workdir}"]
                  grandchild:
                    extends: child
                    args: ["other"]
                    args_append: ["--grandchild-last"]
                """), Map.of());

        assertThat(config.tools().get("base").args()).containsExactly("--base-first", "run", "{model}", "--base-last");
        assertThat(config.tools().get("child").args()).containsExactly("--base-first", "--child-first", "run",
                "{model}", "--base-last", "--child-last", "{workdir}");
        assertThat(config.tools().get("grandchild").args()).containsExactly("--base-first", "--child-first", "other",
                "--base-last", "--child-last", "{workdir}", "--grandchild-last");
    }

    @Test
    void load_argsAppendOnBuiltIn_keepsTheBuiltInArgv() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml",
                "tools:\n  codex-high:\n    extends: codex\n    args_append: [\"-c\", \"model_reasoning_effort=high\"]\n"),
                Map.of());

        List<String> builtin = LOADER.builtIn().tools().get("codex").args();
        assertThat(config.tools().get("codex-high").args()).startsWith(builtin.toArray(String[]::new))
                .endsWith("-c", "model_reasoning_effort=high").hasSize(builtin.size() + 2);
    }

    @Test
    void load_unknownOptionPlaceholder_namesFileLineColumn_andSuggests() {
        assertThat(problems(ConfigSource.text("llm.yaml", """
                tools:
                  codex-local:
                    extends: codex
                    options: {env_key: LOCAL_KEY}
                    args_append: ["--x={options.env_kee}"]
                    env: {LOCAL_KEY: "{options.nope}"}
                """), Map.of())).containsExactly(
                "llm.yaml:5:19: tools.codex-local.args_append[0]: unknown option {options.env_kee}; did you mean"
                        + " {options.env_key}? (options: base_url, env_key, provider, stream_idle_timeout_ms)",
                "llm.yaml:6:22: tools.codex-local.env.LOCAL_KEY: unknown option {options.nope}; options: base_url,"
                        + " env_key, provider, stream_idle_timeout_ms; add nope under options: or remove the placeholder");
    }

    @Test
    void load_unknownPlaceholderInArgsAppend_reportedAtItsItem() {
        assertThat(problems(ConfigSource.text("llm.yaml",
                "tools:\n  c:\n    extends: codex\n    args_append: [\"ok\", \"{modle}\"]\n"), Map.of()))
                .containsExactly("llm.yaml:4:25: tools.c.args_append[1]: unknown placeholder {modle}; did you mean"
                        + " {model}? (placeholders: {model}, {prompt}, {prompt_file}, {workdir})");
    }

    @Test
    void load_modelUsage_builtInClaudeReadsModelUsage_andExtendsChangesOneKeyOnly() {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", "tools:\n  mine:\n    extends: claude-code\n"
                + "    output:\n      model_usage:\n        cost_usd: $.usd\n"), Map.of());

        ModelUsageSpec builtIn = config.tools().get("claude-code").output().modelUsage().orElseThrow();
        assertThat(builtIn.path()).isEqualTo("$.modelUsage");
        assertThat(builtIn.field(OutputField.INPUT_TOKENS)).contains("$.inputTokens");
        assertThat(builtIn.field(OutputField.COST_USD)).contains("$.costUSD");
        ModelUsageSpec mine = config.tools().get("mine").output().modelUsage().orElseThrow();
        assertThat(mine.path()).isEqualTo("$.modelUsage");
        assertThat(mine.field(OutputField.CACHE_WRITE_TOKENS)).contains("$.cacheCreationInputTokens");
        assertThat(mine.field(OutputField.COST_USD)).contains("$.usd");
        assertThat(config.tools().get("codex").output().modelUsage()).isEmpty();
    }

    @Test
    void load_modelUsage_badKeysAndPaths_reportedWithWhereAndWhat() {
        String yaml = """
                tools:
                  a:
                    type: cli
                    binary: a
                    models: {claude-haiku-4-5: haiku}
                    output:
                      format: json
                      model_usage: {path: "$.[[", inputTokens: $.x, output_tokens: "$..[?(@.x"}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:8:27: tools.a.output.model_usage.path: invalid JSONPath \"$.[[\": Could not parse token"
                        + " starting at position 2. Expected ?, ', 0-9, *; see https://github.com/json-path/JsonPath"
                        + " for the syntax",
                "llm.yaml:8:35: tools.a.output.model_usage.inputTokens: unknown key 'inputTokens'; did you mean"
                        + " 'input_tokens'?",
                "llm.yaml:8:68: tools.a.output.model_usage.output_tokens: invalid JSONPath \"$..[?(@.x\": Could not"
                        + " parse token starting at position 3. Expected ?, ', 0-9, *; see"
                        + " https://github.com/json-path/JsonPath for the syntax");
    }

    @Test
    void load_modelUsage_withoutPath_orOnText_rejected() {
        String yaml = """
                tools:
                  b:
                    type: cli
                    binary: b
                    models: {claude-haiku-4-5: haiku}
                    output:
                      format: json
                      model_usage: {input_tokens: $.in}
                  c:
                    type: cli
                    binary: c
                    models: {claude-haiku-4-5: haiku}
                    output:
                      format: text
                      model_usage: {path: $.m}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:8:20: tools.b.output.model_usage.path: is required; add it (JSONPath of the object keyed"
                        + " by model id)",
                "llm.yaml:15:20: tools.c.output.model_usage: format text has no per-model breakdown; remove"
                        + " model_usage or use format json or jsonl");
    }

    // ---- cross references -------------------------------------------------------------

    @Test
    void load_agentWithUnknownTool_suggestsClosest() {
        String f = BAD + "agent-unknown-tool.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":3:11: agents.reviewer.tool: unknown tool 'claude-cod'; did you mean 'claude-code'?");
    }

    @Test
    void load_agentModelNotSupportedByTool_listsSupported() {
        String f = BAD + "agent-unsupported-model.yaml";
        assertThat(problems(f)).containsExactly(f + ":4:12: agents.reviewer.model: tool 'codex' does not support"
                + " model 'claude-sonnet-4-5' (it supports: gpt-5, gpt-5-codex, gpt-5-codex-mini); pick one of those"
                + " or add the model to tools.codex.models");
    }

    @Test
    void load_modelNotDefined_reportedAtToolKeyAndAgent() {
        String f = BAD + "model-not-defined.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":6:7: tools.my-tool.models.llama-3-70b: model 'llama-3-70b' is not defined in models; define"
                        + " it under models: or remove it from this tool",
                f + ":10:12: agents.reviewer.model: unknown model 'llama-3-70b'; define it under models: or use one"
                        + " of: claude-opus-4-5, claude-sonnet-4-5, claude-haiku-4-5, gpt-5, gpt-5-codex,"
                        + " gpt-5-codex-mini, gemini-2.5-pro, gemini-2.5-flash, gemini-2.5-flash-lite");
    }

    @Test
    void load_fallbackWithUnknownTool_suggestsClosest() {
        String f = BAD + "fallback-unknown-tool.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":6:16: agents.reviewer.fallbacks[0].tool: unknown tool 'kodex'; did you mean 'codex'?");
    }

    @Test
    void load_fallbackLoop_repeatingPrimaryOrEarlierEntry() {
        String f = BAD + "fallback-loop.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":7:9: agents.reviewer.fallbacks[1]: fallback claude-code/claude-sonnet-4-5 repeats the agent's"
                        + " own tool and model; a fallback chain must not loop: remove it",
                f + ":8:9: agents.reviewer.fallbacks[2]: fallback codex/gpt-5-codex repeats fallbacks[0]; a fallback"
                        + " chain must not loop: remove it");
    }

    @Test
    void load_budgetLimits_usdTypeAndWarnAt() {
        String f = BAD + "budget-limits.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":11:20: policies.budgets[0].limit.usd: must be > 0 (was 0)",
                f + ":15:20: policies.budgets[1].limit.usd: must be > 0 (was -5)",
                f + ":15:30: policies.budgets[1].limit.type: must be one of hard, soft (was \"medium\")",
                f + ":16:16: policies.budgets[1].warn_at: must be in (0, 1], e.g. 0.8 (was 0)",
                f + ":21:16: policies.budgets[2].warn_at: must be in (0, 1], e.g. 0.8 (was 1.2)");
    }

    @Test
    void load_budgetReserveUsd_mustBePositive() {
        String f = BAD + "budget-reserve.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":12:20: policies.budgets[0].reserve_usd: must be > 0 (US dollars), e.g. 0.02 (was 0)");
    }

    @Test
    void load_budgetScopeUnknownAgentTeamModel() {
        String f = BAD + "budget-scope.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":9:22: policies.budgets[0].scope.agent: unknown agent 'reviewr'; did you mean 'reviewer'?",
                f + ":13:21: policies.budgets[1].scope.team: no agent has team 'data'; teams are: platform",
                f + ":17:22: policies.budgets[2].scope.model: unknown model 'gpt-6'; did you mean 'gpt-5'?");
    }

    @Test
    void load_budgetScopeUnknownTool_andDuplicateNames() {
        String yaml = """
                policies:
                  budgets:
                    - {name: a, scope: {tool: kodex}, period: daily, limit: {usd: 1}}
                    - {name: a, scope: {}, period: weekly, limit: {usd: 1}, type: ledger}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:3:31: policies.budgets[0].scope.tool: unknown tool 'kodex'; did you mean 'codex'?",
                "llm.yaml:4:14: policies.budgets[1].name: duplicate budget name 'a' (also policies.budgets[0] at"
                        + " llm.yaml:3:14); give each budget its own name",
                "llm.yaml:4:67: policies.budgets[1].type: unknown budget type 'ledger'; known: limit (each comes"
                        + " from a provider on the class path)");
    }

    @Test
    void load_rateLimitZeroNegativeOrUnset_rejected() {
        String f = BAD + "rate-limit-zero.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":4:28: policies.rate_limits[0].requests_per_minute: must be > 0 (was 0)",
                f + ":6:26: policies.rate_limits[1].tokens_per_minute: must be > 0 (was -100)",
                f + ":7:7: policies.rate_limits[2]: sets no limit; add requests_per_minute or tokens_per_minute (or"
                        + " both)");
    }

    @Test
    void load_maxReservationZeroOrText_rejected() {
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  max_reservation_usd: 0\n"), Map.of()))
                .containsExactly("llm.yaml:2:24: policies.max_reservation_usd: must be > 0 (was 0)");
        assertThat(problems(ConfigSource.text("llm.yaml", "policies:\n  max_reservation_usd: lots\n"), Map.of()))
                .singleElement().asString().startsWith("llm.yaml:2:24: policies.max_reservation_usd: ");
    }

    // ---- environment ------------------------------------------------------------------

    @Test
    void load_missingEnvironmentVariable_onceWithEveryPlace() {
        String f = BAD + "missing-env.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":3:13: tools.my-tool.binary: environment variable MY_TOOL_HOME is not set (used at " + f
                        + ":3:13, " + f + ":6:17); set it, or write ${MY_TOOL_HOME:-default} to give a default",
                f + ":5:16: tools.my-tool.env.API_KEY: environment variable MY_API_KEY is not set (used at " + f
                        + ":5:16, " + f + ":11:20); set it, or write ${MY_API_KEY:-default} to give a default");
    }

    @Test
    void load_missingEnvironmentVariable_loadsWhenSet() {
        LlmConfig config = LOADER.load(ConfigSource.path(Path.of(BAD + "missing-env.yaml")),
                Map.of("MY_TOOL_HOME", "/opt/t", "MY_API_KEY", "k"));
        assertThat(config.tools().get("my-tool").binary()).isEqualTo("/opt/t/bin/my-tool");
        assertThat(config.tools().get("my-tool").env())
                .isEqualTo(Map.of("API_KEY", "k", "HOME_DIR", "/opt/t", "REGION", "eu-west-1"));
    }

    @Test
    void load_badVariableSyntax_reported() {
        String yaml = "tools:\n  t:\n    binary: \"${UNCLOSED\"\n    env: {A: \"${1BAD}\"}\n"
                + "    models: {gpt-5: g}\n";
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:3:13: tools.t.binary: unclosed ${ in \"${UNCLOSED\"; close it with } or write $${ for a"
                        + " literal ${",
                "llm.yaml:4:14: tools.t.env.A: invalid variable name \"1BAD\" in \"${1BAD}\"; use letters, digits"
                        + " and _ (or write $${ for a literal ${)");
    }

    // ---- tools: placeholders, prompt, output -------------------------------------------

    @Test
    void load_unknownPlaceholder_suggestsModel() {
        String f = BAD + "unknown-placeholder.yaml";
        assertThat(problems(f)).containsExactly(f + ":4:23: tools.my-tool.args[1]: unknown placeholder {modle}; did"
                + " you mean {model}? (placeholders: {model}, {prompt}, {prompt_file}, {workdir})");
    }

    @Test
    void load_promptArgumentWithoutPlaceholder_rejected() {
        String f = BAD + "prompt-argument.yaml";
        assertThat(problems(f)).containsExactly(f + ":4:13: tools.my-tool.prompt: prompt: argument needs a {prompt}"
                + " placeholder in args, e.g. args: [\"-p\", \"{prompt}\"]; add one or use prompt: stdin");
    }

    @Test
    void load_promptPlaceholdersThatDoNotMatchMode_rejected() {
        String yaml = """
                tools:
                  stdin-tool:
                    binary: a
                    args: ["{prompt}", "--f={prompt_file}"]
                    models: {gpt-5: g}
                  file-tool:
                    binary: b
                    prompt: file
                    args: ["-x"]
                    models: {gpt-5: g}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:4:12: tools.stdin-tool.args[0]: {prompt} is only allowed with prompt: argument (this tool"
                        + " has prompt: stdin); remove it or set prompt: argument",
                "llm.yaml:4:24: tools.stdin-tool.args[1]: {prompt_file} is only allowed with prompt: file (this tool"
                        + " has prompt: stdin); remove it or set prompt: file",
                "llm.yaml:8:13: tools.file-tool.prompt: prompt: file needs a {prompt_file} placeholder in args, e.g."
                        + " args: [\"--file\", \"{prompt_file}\"]; add one or use prompt: stdin");
    }

    @Test
    void load_invalidJsonPath_quotesPathAndReason() {
        String f = BAD + "invalid-jsonpath.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":8:21: tools.my-tool.output.input_tokens: invalid JSONPath \"$.usage[?(@.kind == 'in')\": Could"
                        + " not parse token starting at position 7. Expected ?, ', 0-9, *; see"
                        + " https://github.com/json-path/JsonPath for the syntax",
                f + ":11:11: tools.my-tool.output.output_tokens[1]: invalid JSONPath \"$..[?(@.x\": Could not parse"
                        + " token starting at position 3. Expected ?, ', 0-9, *; see"
                        + " https://github.com/json-path/JsonPath for the syntax");
    }

    @Test
    void load_textFormatWithPaths_rejected() {
        String f = BAD + "text-with-paths.yaml";
        assertThat(problems(f)).containsExactly(f + ":6:15: tools.my-tool.output.format: format text uses the whole"
                + " output as the answer and takes no JSONPaths (found text); remove them or use format json or jsonl");
    }

    @Test
    void load_unknownToolType_suggestsKnown() {
        String yaml = "tools:\n  t:\n    type: clii\n    binary: a\n    models: {gpt-5: g}\n";
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:3:11: tools.t.type: unknown tool type 'clii'; did you mean 'cli'?");
    }

    // ---- safety limits ----------------------------------------------------------------

    @Test
    void load_aliasBomb_refusedBeforeExpansion() {
        String f = BAD + "alias-bomb.yaml";
        assertThat(problems(f)).containsExactly(f + ":7:23: more than 50 aliases to mappings or lists; this looks"
                + " like an alias bomb (\"billion laughs\"): write the values out instead");
    }

    @Test
    void load_twentyMegabyteFile_refusedBeforeReading(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yaml");
        String line = "# " + "x".repeat(1021) + "\n";   // 1 KiB
        try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 20 * 1024; i++) {
                w.write(line);
            }
        }
        assertThat(problems(big.toString())).containsExactly(big + ": the configuration is 20971520 bytes, more"
                + " than the limit of 10485760 bytes (10 MiB); a configuration is normally a few kilobytes: check"
                + " that this is the right file");
    }

    @Test
    void load_hugeText_refused() {
        String text = "#" + "x".repeat(YamlParser.MAX_BYTES);
        assertThat(problems(ConfigSource.text("big.yaml", text), Map.of())).containsExactly("big.yaml: the"
                + " configuration is 10485761 characters, more than the limit of 10485760 bytes (10 MiB); a"
                + " configuration is normally a few kilobytes: check that this is the right file");
    }

    @Test
    void load_tenThousandDeepNesting_refusedWithoutStackOverflow() {
        String yaml = "models: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n";
        assertThat(problems(ConfigSource.text("deep.yaml", yaml), Map.of())).containsExactly("deep.yaml:1:72:"
                + " mappings and lists are nested deeper than 64 levels; a configuration needs at most 6: check for"
                + " unbalanced brackets");
    }

    @Test
    void load_tenThousandDeepFlowMappings_refused() {
        String yaml = "models: " + "{k: ".repeat(10_000) + "v" + "}".repeat(10_000) + "\n";
        // the top-level mapping is level 1, so level 65 is the 64th "{", at column 9 + 63 * 4
        assertThat(problems(ConfigSource.text("deep.yaml", yaml), Map.of())).containsExactly(
                "deep.yaml:1:261: mappings and lists are nested deeper than 64 levels; a configuration needs at most"
                        + " 6: check for unbalanced brackets");
    }

    @Test
    void load_deepBlockIndentation_refused() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            yaml.append(" ".repeat(i)).append("k:\n");
        }
        // line n opens level n
        assertThat(problems(ConfigSource.text("deep.yaml", yaml.toString()), Map.of())).containsExactly(
                "deep.yaml:65:65: mappings and lists are nested deeper than 64 levels; a configuration needs at most"
                        + " 6: check for unbalanced brackets");
    }

    @Test
    void load_nonUtf8Bytes_namesLineAndOffset(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "models:\n  caf\u00e9:\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(problems(file.toString())).containsExactly(
                file + ":2:6: not valid UTF-8: byte 0xE9 at byte offset 13; save the file in UTF-8 encoding");
    }

    @Test
    void load_recursiveAlias_refused() {
        String yaml = "policies: &p\n  routing: *p\n";
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:1:11: policies: an alias refers to a mapping or list that contains it; recursive"
                        + " structures are not allowed in a configuration");
    }

    // ---- layout -----------------------------------------------------------------------

    @Test
    void load_directoryWithSingleAndSplitFiles_isAmbiguous() {
        String d = "src/test/resources/config/ambiguous";
        assertThat(problems(d)).containsExactly(d + ": ambiguous configuration: the directory holds both"
                + " llm-service.yaml and tools.yaml; keep either the single file or the split files");
    }

    @Test
    void load_missingPath_namesIt() {
        Path missing = Path.of("no-such-config.yaml");
        assertThat(problems(missing.toString())).containsExactly("no-such-config.yaml: no configuration file or"
                + " directory at " + missing.toAbsolutePath() + "; create it (llm-service config init writes a"
                + " starter) or pass the right path");
    }

    @Test
    void load_emptyDirectory_saysWhatToAdd(@TempDir Path dir) {
        assertThat(problems(dir.toString())).containsExactly(dir + ": the directory holds no configuration; add"
                + " llm-service.yaml or any of models.yaml, tools.yaml, agents.yaml, policies.yaml");
    }

    @Test
    void load_splitFileWithYmlExtension_askedToRename(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("agents.yml"), "agents: {}\n");
        assertThat(problems(dir.toString())).containsExactly(
                dir.resolve("agents.yml") + ": split files must end in .yaml; rename it to agents.yaml");
    }

    @Test
    void load_splitFileHoldingAnotherSection_toldWhereItBelongs() {
        String d = "src/test/resources/config/split-bad";
        assertThat(problems(d)).containsExactly(d + "/agents.yaml:5:1: tools: agents.yaml may hold only the"
                + " 'agents' section; move 'tools' to tools.yaml");
    }

    // ---- several at once --------------------------------------------------------------

    @Test
    void load_severalProblems_allReportedSorted() {
        String f = BAD + "several.yaml";
        assertThat(problems(f)).containsExactly(
                f + ":5:21: models.cheap.context_window: must be > 0 (was 0)",
                f + ":10:5: tools.acme-cli.binray: unknown key 'binray'; did you mean 'binary'?",
                f + ":16:17: agents.reviewer.fallbacks[0]: fallback acme-cli/cheap repeats the agent's own tool and"
                        + " model; a fallback chain must not loop: remove it",
                f + ":18:18: policies.default_agent: unknown agent 'reveiwer'; did you mean 'reviewer'?",
                f + ":19:13: policies.timezone: must be a time-zone id like UTC or Europe/Berlin (was"
                        + " \"Mars/Olympus\")",
                f + ":20:23: policies.routing.strategy: unknown routing strategy 'cheapest'; known: cost-optimized,"
                        + " preference (each comes from a provider on the class path)");
    }

    @Test
    void load_problemsInSeveralFiles_sortedByFileThenLine(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("tools.yaml"), "tools:\n  t:\n    binary: a\n    timeout: soon\n"
                + "    models: {gpt-5: g}\n");
        Files.writeString(dir.resolve("agents.yaml"), "agents:\n  a:\n    tool: t\n    model: gpt-6\n"
                + "    team: 5\n  b: {tool: x, model: gpt-5}\n");
        assertThat(problems(dir.toString())).containsExactly(
                dir.resolve("agents.yaml") + ":4:12: agents.a.model: unknown model 'gpt-6'; did you mean 'gpt-5'?",
                dir.resolve("agents.yaml") + ":6:13: agents.b.tool: unknown tool 'x'; define it under tools: or use"
                        + " one of: claude-code, codex, gemini-cli, t",
                dir.resolve("tools.yaml") + ":4:14: tools.t.timeout: must be a positive duration like 90s or 10m (was"
                        + " \"soon\")");
    }

    // ---- required keys, shapes, enums -------------------------------------------------

    @Test
    void load_missingRequiredKeys_pointAtTheirMapping() {
        String yaml = """
                models:
                  m:
                    tier: standard
                    pricing: {input: 1, output: 2}
                policies:
                  budgets:
                    - name: b
                      limit: {type: soft}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:3:5: models.m.context_window: is required; add it",
                "llm.yaml:3:5: models.m.provider: is required; add it",
                "llm.yaml:4:14: models.m.pricing.cache_read: is required; add it (write 0 if the vendor does not"
                        + " charge it)",
                "llm.yaml:4:14: models.m.pricing.cache_write: is required; add it (write 0 if the vendor does not"
                        + " charge it)",
                "llm.yaml:7:7: policies.budgets[0].period: is required; add it (daily, weekly or monthly)",
                "llm.yaml:7:7: policies.budgets[0].scope: is required; write scope: {} for a budget over every call",
                "llm.yaml:8:14: policies.budgets[0].limit.usd: is required; add it");
    }

    @Test
    void load_wrongShapesAndEnums_named() {
        String yaml = """
                tools:
                  t: [a, b]
                agents:
                  a:
                    tool: codex
                    model: gpt-5
                    fallbacks: {tool: codex}
                    team:
                policies:
                  routing: {complexity_tiers: {simple: economic}}
                  telemetry: {privacy: everything}
                """;
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:2:6: tools.t: must be a mapping (was a list)",
                "llm.yaml:7:16: agents.a.fallbacks: must be a list (was a mapping)",
                "llm.yaml:8:10: agents.a.team: has no value; give text or remove the key",
                "llm.yaml:10:40: policies.routing.complexity_tiers.simple: must be one of economy, standard, premium"
                        + " (was \"economic\"); did you mean 'economy'?",
                "llm.yaml:11:24: policies.telemetry.privacy: must be one of metadata, full (was \"everything\")");
    }

    @Test
    void load_unknownPlaceholderFarFromAny_listsThem() {
        String yaml = "tools:\n  t:\n    binary: a\n    args: [\"{session}\", '{\"a\": 1}']\n    models: {gpt-5: g}\n";
        assertThat(problems(ConfigSource.text("llm.yaml", yaml), Map.of())).containsExactly(
                "llm.yaml:4:12: tools.t.args[0]: unknown placeholder {session}; use one of {model}, {prompt},"
                        + " {prompt_file}, {workdir}, or remove it");
    }
}
