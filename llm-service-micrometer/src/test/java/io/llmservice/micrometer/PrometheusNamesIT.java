package io.llmservice.micrometer;

import io.llmservice.BudgetExceededException;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.RateLimitedException;
import io.llmservice.LlmService;
import io.llmservice.testkit.FakeCli;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Prometheus series docs/telemetry.md queries exist under those names: a scrape after a real call
 * (stand-in tool, a budget, a fallback) holds every series name and label the documented PromQL uses.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli's JAVA mode takes a second per call there")
class PrometheusNamesIT {
    /** A series name: ours or the conventions', ending the way Prometheus series do (labels do not). */
    private static final Pattern SERIES = Pattern.compile(
            "\\b((?:gen_ai|llm_service)_[a-z_]+?_(?:total|bucket|sum|count|usd|max))\\b");

    @TempDir
    Path dir;

    @Test
    void everySeriesTheDocsQuery_isInTheScrape() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        FakeCli claude = FakeCli.builder().name("claude").stdout("""
                {"result": "ok", "usage": {"input_tokens": 10, "output_tokens": 20, "cache_read_input_tokens": 30},
                 "total_cost_usd": 0.5}
                """).build(dir);
        FakeCli flaky = FakeCli.builder().name("flaky").stderr("overloaded").exitCode(1).build(dir);
        // tokens_per_minute for the waiter: its second call waits about 2 s for the bucket to refill
        long tokens;
        try (LlmService probe = LlmService.builder().config(ConfigSource.text("llm-service.yaml",
                yaml(claude.binary(), flaky.binary(), 1_000_000))).environment(Map.of("HOME", dir.toString())).build()) {
            tokens = probe.route(request("waiter")).plan().estimatedTokens();
        }
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("llm-service.yaml",
                        yaml(claude.binary(), flaky.binary(), 2 * tokens * 60 / 62)))
                .environment(Map.of("HOME", dir.toString())).listener(metrics).build()) {
            metrics.bindTo(llm);
            llm.route(request("reviewer")).execute();                        // a fallback, tokens, cost
            assertThatThrownBy(() -> llm.route(request("reviewer")).execute())  // rate limited: refused
                    .isInstanceOf(RateLimitedException.class);
            llm.route(request("auditor")).execute();
            assertThatThrownBy(() -> llm.route(request("auditor")).execute())   // over its budget
                    .isInstanceOf(BudgetExceededException.class);
            llm.route(request("waiter")).execute();
            llm.route(request("waiter")).execute();                          // waits for the rate limit
            String scrape = registry.scrape();
            String doc = Files.readString(docs());
            int section = doc.indexOf("## Metrics (Micrometer)");
            assertThat(section).as("the metrics section of docs/telemetry.md").isNotNegative();
            Matcher m = SERIES.matcher(doc.substring(section));
            int found = 0;
            while (m.find()) {
                found++;
                assertThat(scrape).as("series %s, named in docs/telemetry.md", m.group(1))
                        .containsPattern("(?m)^" + Pattern.quote(m.group(1)) + "[{ ]");
            }
            assertThat(found).as("series names in the docs' section").isGreaterThan(5);
            assertThat(scrape).contains("gen_ai_provider_name=\"anthropic\"", "gen_ai_token_type=\"input\"",
                    "gen_ai_request_model=\"sonnet\"", "team=\"platform\"", "budget=\"ops-daily\"",
                    "outcome=\"rate_limited\"", "scope=\"{agent: waiter}\"", "type=\"cache_read\"");
            // a success has error.type none, so both series of the duration have the same labels
            assertThat(scrape).contains("error_type=\"none\"", "error_type=\"io.llmservice.ToolExitException\"");
        }
    }

    private static LlmRequest request(String agent) {
        return LlmRequest.builder("hello there ".repeat(500)).agent(agent).build();
    }

    private static String yaml(Path claude, Path flaky, long waiterTokensPerMinute) {
        return """
                models:
                  sonnet: {provider: anthropic, tier: standard, context_window: 200000,
                           pricing: {input: 1, output: 1, cache_read: 0, cache_write: 0}}
                tools:
                  claude:
                    type: cli
                    binary: "%s"
                    args: ["-p"]
                    models: {sonnet: sonnet}
                    output: {format: json, text: $.result, input_tokens: $.usage.input_tokens,
                             output_tokens: $.usage.output_tokens, cache_read_tokens: $.usage.cache_read_input_tokens,
                             cost_usd: $.total_cost_usd}
                  flaky:
                    type: cli
                    binary: "%s"
                    args: ["-p"]
                    models: {sonnet: sonnet}
                    output: {format: text}
                    retriable_when: ["overloaded"]
                agents:
                  reviewer: {team: platform, tool: flaky, model: sonnet, fallbacks: [{tool: claude, model: sonnet}]}
                  auditor: {team: ops, tool: claude, model: sonnet}
                  waiter: {tool: claude, model: sonnet}
                policies:
                  telemetry: {store: memory}
                  budgets:
                    - {name: ops-daily, scope: {team: ops}, period: daily, limit: {usd: 0.6, type: hard}}
                  rate_limits:
                    - {scope: {agent: reviewer}, requests_per_minute: 1, on_limit: fail}
                    - {scope: {agent: waiter}, tokens_per_minute: %d, on_limit: wait, max_wait: 60s}
                """.formatted(claude, flaky, waiterTokensPerMinute);
    }

    private static Path docs() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.exists(p.resolve("docs/telemetry.md"))) {
            p = p.getParent();
        }
        return p.resolve("docs/telemetry.md");
    }
}
