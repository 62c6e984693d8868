package io.llmservice;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmResponseTest {

    private static final Attempt FIRST = Attempt.succeeded(1, "claude", "sonnet", Instant.parse("2026-12-01T10:00:00Z"),
            Duration.ofMillis(900), Usage.unknown(), Optional.empty(), CostSource.UNKNOWN, 0);

    private static LlmResponse.Builder minimal() {
        return LlmResponse.builder().requestId("req-1").text("LGTM").tool("claude").model("sonnet")
                .latency(Duration.ofMillis(900)).attempt(FIRST);
    }

    @Test
    void builder_minimal_fillsTheDocumentedDefaults() {
        assertThat(minimal().build()).isEqualTo(new LlmResponse("req-1", "LGTM", "claude", "sonnet", Optional.empty(),
                Usage.unknown(), Optional.empty(), CostSource.UNKNOWN, Duration.ofMillis(900), List.of(FIRST),
                List.of(), List.of(), Optional.empty()));
    }

    @Test
    void toBuilder_copiesEveryComponent_andChangesOnlyWhatIsSet() {
        Attempt second = Attempt.succeeded(2, "codex", "gpt", Instant.parse("2026-12-01T10:00:01Z"),
                Duration.ofMillis(5), Usage.of(1, 1, 0, 0), Optional.of(BigDecimal.ONE), CostSource.COMPUTED, 0);
        LlmResponse full = LlmResponse.builder().requestId("req-2").text("answer").tool("codex").model("gpt")
                .reportedModel("gpt-5-2026").usage(Usage.of(1, 1, 0, 0)).costUsd(BigDecimal.ONE)
                .costSource(CostSource.COMPUTED).latency(Duration.ofSeconds(2)).attempt(FIRST).attempt(second)
                .warning("usage not reported: cache_read_tokens").session(new Session("codex", "0199a2"))
                .modelUsage(List.of(ModelUsage.of("claude-haiku-4-5", Usage.of(1, 1, 0, 0)))).build();

        assertThat(RecordComponents.equalIn(full, minimal().build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        LlmResponse redacted = full.toBuilder().text("[redacted]").build();
        assertThat(RecordComponents.equalIn(redacted, full)).doesNotContain("text").hasSize(12);
    }

    @Test
    void build_withoutARequiredPartOrAnAttempt_namesIt() {
        assertThatThrownBy(() -> LlmResponse.builder().requestId("r").text("t").tool("x").latency(Duration.ZERO)
                .attempt(FIRST).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("LlmResponse.model is required and was not set");
        assertThatThrownBy(() -> minimal().attempts(List.of()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("LlmResponse.attempts needs at least one attempt, was none");
        assertThatThrownBy(() -> minimal().latency(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("LlmResponse.latency must be >= 0, was PT-1S");
    }
}
