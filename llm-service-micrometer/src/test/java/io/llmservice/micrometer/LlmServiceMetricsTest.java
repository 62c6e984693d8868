package io.llmservice.micrometer;

import io.llmservice.Attempt;
import io.llmservice.CostSource;
import io.llmservice.RequestInfo;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping of one event to meters, without a service (the IT runs the whole thing). */
class LlmServiceMetricsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
    private final RequestInfo request = new RequestInfo("req-1", "reviewer", Optional.empty());

    @Test
    void unknownTokenCounts_areNotRecorded_andZeroIsRecordedAsZero() {
        Usage usage = Usage.of(OptionalLong.of(100), OptionalLong.empty(), OptionalLong.of(0), OptionalLong.empty());
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofSeconds(2), usage,
                Optional.empty(), CostSource.UNKNOWN, 0));

        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries())
                .extracting(s -> s.getId().getTag("gen_ai.token.type"))
                .containsExactlyInAnyOrder("input", "cache_read");
        assertThat(registry.get(LlmServiceMetrics.TOKEN_USAGE).tag("gen_ai.token.type", "cache_read").summary()
                .count()).isEqualTo(1);
        // no cost known: no cost counter at all, rather than a zero that reads as "free"
        assertThat(registry.find(LlmServiceMetrics.COST).counters()).isEmpty();
    }

    @Test
    void beforeBindTo_theProviderIsTheTool_andAnAgentWithoutTeamIsTaggedNone() {
        metrics.onAttempt(request, Attempt.succeeded(1, "codex", "gpt-5", T0, Duration.ofMillis(1500),
                Usage.of(1, 2, 0, 0), Optional.of(new BigDecimal("0.25")), CostSource.TOOL_REPORTED, 0));

        assertThat(registry.get(LlmServiceMetrics.OPERATION_DURATION).timer().getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("agent", "reviewer"), Tag.of("team", "none"), Tag.of("tool", "codex"),
                Tag.of("gen_ai.operation.name", "invoke_agent"), Tag.of("gen_ai.provider.name", "codex"),
                Tag.of("gen_ai.request.model", "gpt-5"), Tag.of("error.type", "none"));
        assertThat(registry.get(LlmServiceMetrics.COST).counter().count()).isEqualTo(0.25);
    }

    @Test
    void aFailedAttempt_isTimedWithItsErrorType() {
        metrics.onAttempt(request, Attempt.failed(1, "codex", "gpt-5", io.llmservice.Outcome.TIMEOUT, T0,
                Duration.ofSeconds(30), Usage.unknown(), -1, new ToolTimeoutException("codex", Duration.ofSeconds(30))));

        assertThat(registry.get(LlmServiceMetrics.OPERATION_DURATION).tag("error.type",
                "io.llmservice.ToolTimeoutException").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(30);
        assertThat(registry.get(LlmServiceMetrics.ATTEMPTS).tag("outcome", "timeout").counter().count()).isEqualTo(1);
        assertThat(registry.find(LlmServiceMetrics.TOKEN_USAGE).summaries()).isEmpty();
    }
}
