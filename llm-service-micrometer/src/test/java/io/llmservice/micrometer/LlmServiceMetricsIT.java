package io.llmservice.micrometer;

import io.llmservice.BudgetExceededException;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.testkit.FakeCli;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The meters against real runs of stand-in tools (real processes scripted by {@link FakeCli}),
 * configured in YAML through the public builder, compared with what the service itself recorded.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli's JAVA mode takes a second per call there")
class LlmServiceMetricsIT {
    /** What the stand-in for Claude Code answers: the shape of {@code claude -p --output-format json}. */
    private static final String ANSWER = """
            {"type": "result", "is_error": false, "result": "looks fine",
             "usage": {"input_tokens": 1200, "output_tokens": 345, "cache_read_input_tokens": 5000,
                       "cache_creation_input_tokens": 700},
             "total_cost_usd": 0.0123}
            """;
    private static final String PROMPT = "Review this diff: SECRET-PROMPT-4f1c9 must stay out of every metric";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static String yaml(Path claude, Path flaky, String policies) {
        return """
                models:
                  sonnet:
                    provider: anthropic
                    tier: standard
                    context_window: 200000
                    pricing: {input: 1, output: 1, cache_read: 0, cache_write: 0}
                  local:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 1, cache_read: 0, cache_write: 0}
                tools:
                  claude:
                    type: cli
                    binary: "%s"
                    args: ["-p", "--output-format", "json", "--model", "{model}"]
                    models: {sonnet: sonnet}
                    output:
                      format: json
                      text: $.result
                      input_tokens: $.usage.input_tokens
                      output_tokens: $.usage.output_tokens
                      cache_read_tokens: $.usage.cache_read_input_tokens
                      cache_write_tokens: $.usage.cache_creation_input_tokens
                      cost_usd: $.total_cost_usd
                      is_error: $.is_error
                    timeout: 30s
                  flaky:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {local: local-v1}
                    output: {format: text}
                    retriable_when: ["overloaded"]
                    timeout: 30s
                agents:
                  reviewer:
                    team: platform
                    tool: claude
                    model: sonnet
                  writer:
                    tool: flaky
                    model: local
                    fallbacks: [{tool: claude, model: sonnet}]
                  auditor:
                    team: ops
                    tool: claude
                    model: sonnet
                policies:
                  telemetry: {store: memory}
                %s
                """.formatted(claude, flaky, policies.indent(2));
    }

    private LlmService start(LlmServiceMetrics metrics, String policies) {
        FakeCli claude = FakeCli.builder().name("claude").stdout(ANSWER).build(dir);
        FakeCli flaky = FakeCli.builder().name("flaky").stderr("error: model overloaded, try later").exitCode(1)
                .build(dir);
        LlmService llm = LlmService.builder()
                .config(ConfigSource.text("llm-service.yaml", yaml(claude.binary(), flaky.binary(), policies)))
                .environment(Map.of("HOME", dir.toString(), "PATH", "/usr/bin:/bin"))
                .listener(metrics)
                .build();
        metrics.bindTo(llm);
        return llm;
    }

    private static LlmRequest request(String agent) {
        return LlmRequest.builder(PROMPT).agent(agent).label("ticket", "LBL-77123").build();
    }

    private double tokens(String type, String statistic) {
        DistributionSummary s = registry.get(LlmServiceMetrics.TOKEN_USAGE).tag("gen_ai.token.type", type)
                .tag("agent", "reviewer").summary();
        return statistic.equals("count") ? s.count() : s.totalAmount();
    }

    @Test
    void successfulCalls_tokenHistogramDurationAndCost_equalWhatTheServiceRecorded() {
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        List<String> requestIds = new ArrayList<>();
        try (LlmService llm = start(metrics, "budgets: []")) {
            for (int i = 0; i < 3; i++) {
                LlmResponse r = llm.route(request("reviewer")).execute();
                requestIds.add(r.requestId());
            }
            List<StatsRow> rows = llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).build()).rows();
            long input = rows.stream().mapToLong(StatsRow::inputTokens).sum();
            long output = rows.stream().mapToLong(StatsRow::outputTokens).sum();
            long cacheRead = rows.stream().mapToLong(StatsRow::cacheReadTokens).sum();
            long cacheWrite = rows.stream().mapToLong(StatsRow::cacheWriteTokens).sum();
            BigDecimal cost = rows.stream().map(StatsRow::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(input).isEqualTo(3 * 1200);
            assertThat(cost).isEqualByComparingTo("0.0369");

            assertThat(cacheRead).isEqualTo(3 * 5000);
            assertThat(tokens("input", "count")).isEqualTo(3);
            // the conventions' input counts the cache's reads and writes too; the store keeps them apart
            assertThat(tokens("input", "sum")).isEqualTo(input + cacheRead + cacheWrite);
            assertThat(tokens("output", "count")).isEqualTo(3);
            assertThat(tokens("output", "sum")).isEqualTo(output);
            assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries())
                    .extracting(s -> s.getId().getTag("gen_ai.token.type")).containsOnly("input", "output");
            assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).tags("agent", "reviewer", "type", "cache_read")
                    .counter().count()).isEqualTo(cacheRead);
            assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).tags("agent", "reviewer", "type", "cache_write")
                    .counter().count()).isEqualTo(cacheWrite);
            assertThat(registry.get(LlmServiceMetrics.TOKEN_USAGE).tag("gen_ai.token.type", "input").summary().getId()
                    .getTags()).contains(Tag.of("gen_ai.operation.name", "invoke_agent"),
                    Tag.of("gen_ai.provider.name", "anthropic"), Tag.of("gen_ai.request.model", "sonnet"),
                    Tag.of("agent", "reviewer"), Tag.of("team", "platform"), Tag.of("tool", "claude"));

            assertThat(registry.get(LlmServiceMetrics.COST).tags("agent", "reviewer", "tool", "claude", "model", "sonnet")
                    .counter().count()).isCloseTo(cost.doubleValue(), within(1e-12));
            assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tags("agent", "reviewer", "outcome", "success")
                    .counter().count()).isEqualTo(3);

            Timer duration = registry.get(LlmServiceMetrics.OPERATION_DURATION).tag("gen_ai.request.model", "sonnet")
                    .tag("error.type", "none").timer();
            assertThat(duration.count()).isEqualTo(3);
            assertThat(duration.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(duration.max(TimeUnit.SECONDS)).isLessThan(30);
        }
        assertNoMeterHolds(requestIds);
    }

    @Test
    void failingToolWithFallback_countsTheFallbackAndTheFailedAttempt() {
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        List<String> requestIds = new ArrayList<>();
        try (LlmService llm = start(metrics, "budgets: []")) {
            LlmResponse r = llm.route(request("writer")).execute();
            requestIds.add(r.requestId());
            assertThat(r.tool()).isEqualTo("claude");
        }
        Counter fallbacks = registry.get(LlmServiceMetrics.FALLBACKS).counter();
        assertThat(fallbacks.count()).isEqualTo(1);
        assertThat(fallbacks.getId().getTags()).containsExactlyInAnyOrder(Tag.of("agent", "writer"),
                Tag.of("team", LlmServiceMetrics.NONE), Tag.of("tool", "flaky"), Tag.of("model", "local"),
                Tag.of("outcome", "failed"), Tag.of("next_tool", "claude"), Tag.of("next_model", "sonnet"));
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tags("tool", "flaky", "outcome", "failed").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tags("tool", "claude", "outcome", "success").counter()
                .count()).isEqualTo(1);
        Timer failed = registry.get(LlmServiceMetrics.OPERATION_DURATION).tag("tool", "flaky").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(failed.getId().getTag("error.type")).isEqualTo("io.llmservice.ToolExitException");
        assertThat(failed.getId().getTag("gen_ai.provider.name")).isEqualTo("acme");
        assertNoMeterHolds(requestIds);
    }

    @Test
    void hardBudgetRefusal_isCountedByBudget_andTheHeadroomGaugeIsLimitMinusSpend() {
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).budgetRefresh(Duration.ZERO).build();
        String budgets = """
                budgets:
                  - name: ops-daily
                    scope: {team: ops}
                    period: daily
                    limit: {usd: 0.02, type: hard}
                  - name: all-monthly
                    scope: {}
                    period: monthly
                    limit: {usd: 10, type: soft}
                """;
        try (LlmService llm = start(metrics, budgets)) {
            assertThat(headroom("ops-daily")).isCloseTo(0.02, within(1e-12));
            llm.route(request("auditor")).execute();
            llm.route(request("reviewer")).execute();
            // the second call of the auditor reserves the recent cost, $0.0123: 0.0123 + 0.0123 > 0.02
            assertThatThrownBy(() -> llm.route(request("auditor")).execute())
                    .isInstanceOf(BudgetExceededException.class);

            Counter refusals = registry.get(LlmServiceMetrics.BUDGET_REFUSALS).counter();
            assertThat(refusals.count()).isEqualTo(1);
            assertThat(refusals.getId().getTags()).contains(Tag.of("budget", "ops-daily"), Tag.of("action", "block"),
                    Tag.of("agent", "auditor"), Tag.of("team", "ops"));
            assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tags("agent", "auditor", "outcome", "budget_blocked")
                    .counter().count()).isEqualTo(1);
            // a refused attempt ran nothing: no duration
            assertThat(registry.get(LlmServiceMetrics.OPERATION_DURATION).tag("agent", "auditor").timer().count())
                    .isEqualTo(1);

            assertThat(llm.budgets()).allSatisfy(b -> assertThat(headroom(b.name())).isCloseTo(
                    b.limitUsd().subtract(b.spentUsd()).subtract(b.reservedUsd()).doubleValue(), within(1e-12)));
            assertThat(headroom("ops-daily")).isCloseTo(0.02 - 0.0123, within(1e-12));
            assertThat(headroom("all-monthly")).isCloseTo(10 - 2 * 0.0123, within(1e-12));
            assertThat(registry.get(LlmServiceMetrics.BUDGET_LIMIT).tag("budget", "all-monthly").gauge().value())
                    .isEqualTo(10);
        }
        // the service is closed: no figure rather than a stale one
        assertThat(headroom("ops-daily")).isNaN();
    }

    private double headroom(String budget) {
        return registry.get(LlmServiceMetrics.BUDGET_HEADROOM).tag("budget", budget).gauge().value();
    }

    @Test
    void rateLimitWait_isTimed_underTheLimitsScope() {
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        // A token bucket the first call leaves too low for the second: it waits about 2 s for the refill.
        long tokens;
        try (LlmService probe = start(LlmServiceMetrics.builder(new SimpleMeterRegistry()).build(), "budgets: []")) {
            tokens = probe.route(request("reviewer")).plan().estimatedTokens();
        }
        long perMinute = 2 * tokens * 60 / 62;
        String limits = """
                rate_limits:
                  - scope: {agent: reviewer}
                    tokens_per_minute: %d
                    on_limit: wait
                    max_wait: 60s
                """.formatted(perMinute);
        try (LlmService llm = start(metrics, limits)) {
            llm.route(request("reviewer")).execute();
            llm.route(request("reviewer")).execute();
        }
        Timer waits = registry.get(LlmServiceMetrics.RATE_LIMIT_WAITS).timer();
        assertThat(waits.count()).isGreaterThanOrEqualTo(1);
        assertThat(waits.totalTime(TimeUnit.MILLISECONDS)).isPositive();
        assertThat(waits.getId().getTags()).contains(Tag.of("scope", "{agent: reviewer}"), Tag.of("agent", "reviewer"));
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tag("outcome", "success").counter().count()).isEqualTo(2);
    }

    @Test
    void aRegistryThatThrowsOnEveryMeter_breaksNoCall() {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                throw new IllegalStateException("registry broken");
            }
        });
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("llm-service.yaml", yaml(FakeCli.builder().name("claude").stdout(ANSWER)
                        .build(dir).binary(), dir.resolve("missing"), "budgets: []")))
                .environment(Map.of("HOME", dir.toString()))
                .listener(metrics)
                .build()) {
            assertThat(llm.route(request("reviewer")).execute().text()).isEqualTo("looks fine");
        }
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void close_removesTheGauges_soTheNextServicesMetricsRegisterTheirs() {
        String budgets = """
                budgets:
                  - name: all-daily
                    scope: {}
                    period: daily
                    limit: {usd: 5, type: hard}
                """;
        try (LlmServiceMetrics first = LlmServiceMetrics.builder(registry).budgetRefresh(Duration.ZERO).build();
             LlmService llm = start(first, budgets)) {
            llm.route(request("reviewer")).execute();
            assertThat(headroom("all-daily")).isCloseTo(5 - 0.0123, within(1e-12));
        }
        assertThat(registry.find(LlmServiceMetrics.BUDGET_HEADROOM).gauges()).isEmpty();
        // the configuration reloaded: a new service, a new store, the same registry
        try (LlmServiceMetrics second = LlmServiceMetrics.builder(registry).budgetRefresh(Duration.ZERO).build();
             LlmService llm = start(second, budgets.replace("usd: 5", "usd: 7"))) {
            assertThat(headroom("all-daily")).isEqualTo(7);
        }
        // the counters are history: they stay
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).counter().count()).isEqualTo(1);
    }

    @Test
    void reload_newMetricsBoundBeforeTheOldAreClosed_keepTheirGauges_readingTheNewService() {
        String budgets = """
                budgets:
                  - name: all-daily
                    scope: {}
                    period: daily
                    limit: {usd: 5, type: hard}
                """;
        LlmServiceMetrics first = LlmServiceMetrics.builder(registry).budgetRefresh(Duration.ZERO).build();
        LlmService old = start(first, budgets);
        // the configuration reloaded: build the new service and bind its metrics, then close the old
        LlmServiceMetrics second = LlmServiceMetrics.builder(registry).budgetRefresh(Duration.ZERO).build();
        try (LlmService llm = start(second, budgets.replace("usd: 5", "usd: 7"))) {
            assertThat(headroom("all-daily")).as("the new service's budget").isEqualTo(7);
            old.close();
            first.close();

            assertThat(registry.find(LlmServiceMetrics.BUDGET_HEADROOM).gauges()).hasSize(1);
            assertThat(headroom("all-daily")).isEqualTo(7);
            assertThat(registry.get(LlmServiceMetrics.BUDGET_LIMIT).tag("budget", "all-daily").gauge().value())
                    .isEqualTo(7);
        }
        second.close();
        assertThat(registry.find(LlmServiceMetrics.BUDGET_HEADROOM).gauges()).isEmpty();
    }

    @Test
    void bindTo_twice_isRefused() {
        LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
        try (LlmService llm = start(metrics, "budgets: []")) {
            assertThatThrownBy(() -> metrics.bindTo(llm)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("these metrics are already bound to a service; build one LlmServiceMetrics per"
                            + " LlmService");
        }
    }

    /** No meter name, tag, description or unit holds the prompt, a request id or a label. */
    private void assertNoMeterHolds(List<String> requestIds) {
        assertThat(registry.getMeters()).isNotEmpty();
        List<String> forbidden = new ArrayList<>(List.of("SECRET-PROMPT-4f1c9", "Review this diff", "LBL-77123",
                "ticket", "looks fine"));
        forbidden.addAll(requestIds);
        for (Meter m : registry.getMeters()) {
            Meter.Id id = m.getId();
            List<String> texts = new ArrayList<>();
            texts.add(id.getName());
            texts.add(String.valueOf(id.getDescription()));
            texts.add(String.valueOf(id.getBaseUnit()));
            id.getTags().forEach(t -> {
                texts.add(t.getKey());
                texts.add(t.getValue());
            });
            for (String text : texts) {
                for (String f : forbidden) {
                    assertThat(text).as("meter %s", id).doesNotContain(f);
                }
            }
        }
    }
}
