package io.llmservice.micrometer;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.CallCancelledException;
import io.llmservice.ConfigSource;
import io.llmservice.CostSource;
import io.llmservice.LlmService;
import io.llmservice.Outcome;
import io.llmservice.RequestInfo;
import io.llmservice.ToolNotInstalledException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapping of one event to meters, fed by hand to metrics bound to a service that never runs a
 * tool (the IT runs the whole thing).
 */
class LlmServiceMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
    private final RequestInfo request = new RequestInfo("req-1", "reviewer", Optional.empty());
    private LlmService llm;

    @TempDir
    Path home;

    @AfterEach
    void closeService() {
        if (llm != null) {
            llm.close();
        }
    }

    /** Binds the metrics to a service whose model {@code gpt-5} is OpenAI's, run by the tool {@code codex}. */
    private void bind() {
        llm = LlmService.builder().config(ConfigSource.text("llm-service.yaml", """
                        models:
                          gpt-5: {provider: openai, tier: standard, context_window: 200000,
                                  pricing: {input: 1, output: 1, cache_read: 0, cache_write: 0}}
                        tools:
                          codex:
                            type: cli
                            binary: "%s"
                            models: {gpt-5: gpt-5}
                            output: {format: text}
                        agents:
                          reviewer: {tool: codex, model: gpt-5}
                        policies:
                          telemetry: {store: memory}
                        """.formatted(home.resolve("codex-not-installed"))))
                .environment(Map.of("HOME", home.toString())).listener(metrics).build();
        metrics.bindTo(llm);
    }

    @Test
    void unknownTokenCounts_areNotRecorded_andZeroIsRecordedAsZero() {
        bind();
        Usage usage = Usage.of(OptionalLong.of(100), OptionalLong.empty(), OptionalLong.of(0), OptionalLong.empty());
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofSeconds(2), usage,
                Optional.empty(), CostSource.UNKNOWN, 0));

        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries())
                .extracting(s -> s.getId().getTag("gen_ai.token.type")).containsExactly("input");
        assertThat(registry.get(LlmServiceMetrics.TOKEN_USAGE).summary().totalAmount()).isEqualTo(100);
        assertThat(registry.find(LlmServiceMetrics.CACHE_TOKENS).counters())
                .extracting(c -> c.getId().getTag("type")).containsExactly("cache_read");
        assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).counter().count()).isZero();
        // no cost known: no cost counter at all, rather than a zero that reads as "free"
        assertThat(registry.find(LlmServiceMetrics.COST).counters()).isEmpty();
    }

    @Test
    void inputTokens_countTheCacheReadsAndWrites_asTheConventionsDo_andTheCacheIsCountedApart() {
        bind();
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofSeconds(2),
                Usage.of(1200, 345, 5000, 700), Optional.empty(), CostSource.UNKNOWN, 0));

        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries())
                .extracting(s -> s.getId().getTag("gen_ai.token.type")).containsExactlyInAnyOrder("input", "output");
        assertThat(registry.get(LlmServiceMetrics.TOKEN_USAGE).tag("gen_ai.token.type", "input").summary()
                .totalAmount()).isEqualTo(1200 + 5000 + 700);
        assertThat(registry.get(LlmServiceMetrics.TOKEN_USAGE).tag("gen_ai.token.type", "output").summary()
                .totalAmount()).isEqualTo(345);
        assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).tag("type", "cache_read").counter().count())
                .isEqualTo(5000);
        assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).tag("type", "cache_write").counter().getId()
                .getTags()).containsExactlyInAnyOrder(Tag.of("agent", "reviewer"), Tag.of("team", "none"),
                Tag.of("tool", "codex"), Tag.of("model", "gpt-5"), Tag.of("type", "cache_write"));
        assertThat(registry.get(LlmServiceMetrics.CACHE_TOKENS).tag("type", "cache_write").counter().count())
                .isEqualTo(700);
    }

    @Test
    void beforeBindTo_theGenAiMetersWaitForTheProvider_theCountersCount() {
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofMillis(1500),
                Usage.of(1, 2, 0, 0), Optional.of(new BigDecimal("0.25")), CostSource.TOOL_REPORTED, 0));

        assertThat(registry.find(LlmServiceMetrics.OPERATION_DURATION).timers()).isEmpty();
        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries()).isEmpty();
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).counter().count()).isEqualTo(1);
        assertThat(registry.get(LlmServiceMetrics.COST).counter().count()).isEqualTo(0.25);
    }

    @Test
    void afterBindTo_theProviderIsTheModelsInTheConfiguration_andAnAgentWithoutTeamIsTaggedNone() {
        bind();
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofMillis(1500),
                Usage.of(1, 2, 0, 0), Optional.of(new BigDecimal("0.25")), CostSource.TOOL_REPORTED, 0));

        assertThat(registry.get(LlmServiceMetrics.OPERATION_DURATION).timer().getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("agent", "reviewer"), Tag.of("team", "none"), Tag.of("tool", "codex"),
                Tag.of("gen_ai.operation.name", "invoke_agent"), Tag.of("gen_ai.provider.name", "openai"),
                Tag.of("gen_ai.request.model", "gpt-5"), Tag.of("error.type", "none"));
        assertThat(registry.get(LlmServiceMetrics.COST).counter().count()).isEqualTo(0.25);
    }

    @Test
    void aFailedAttempt_isTimedWithItsErrorType() {
        bind();
        metrics.onAttempt(request, Attempt.failed(1, "codex", "gpt-5", Outcome.TIMEOUT, T0,
                Duration.ofSeconds(30), Usage.unknown(), -1, new ToolTimeoutException("codex", Duration.ofSeconds(30))));

        assertThat(registry.get(LlmServiceMetrics.OPERATION_DURATION).tag("error.type",
                "io.llmservice.ToolTimeoutException").timer().totalTime(TimeUnit.SECONDS)).isEqualTo(30);
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tag("outcome", "timeout").counter().count()).isEqualTo(1);
        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries()).isEmpty();
    }

    @Test
    void attemptsWhoseToolNeverRan_areCounted_butNotTimed() {
        bind();
        metrics.onAttempt(request, Attempt.failed(1, "codex", "gpt-5", Outcome.NOT_INSTALLED, T0,
                Duration.ofMillis(3), Usage.unknown(), -1, new ToolNotInstalledException("codex", "codex", "PATH")));
        metrics.onAttempt(request, Attempt.failed(2, "codex", "gpt-5", Outcome.CANCELLED, T0,
                Duration.ofSeconds(4), Usage.unknown(), -1, new CallCancelledException("call cancelled")));
        metrics.onAttempt(request, Attempt.failed(3, "codex", "gpt-5", Outcome.BUDGET_BLOCKED, T0,
                Duration.ofMillis(1), Usage.unknown(), -1, new BudgetExceededException("team-daily", "2026-12-01",
                        BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ZERO, new BigDecimal("0.1"))));

        assertThat(registry.find(LlmServiceMetrics.OPERATION_DURATION).timers()).isEmpty();
        assertThat(registry.find(LlmServiceMetrics.ATTEMPTS).counters())
                .extracting(c -> c.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("not_installed", "cancelled", "budget_blocked");
    }
}
