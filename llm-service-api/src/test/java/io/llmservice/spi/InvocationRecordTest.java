package io.llmservice.spi;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.RecordComponents;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InvocationRecordTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    private static InvocationRecord.Builder minimal() {
        return InvocationRecord.builder().requestId("req-1").startedAt(T).agent("reviewer")
                .outcome(Outcome.SUCCESS).latency(Duration.ofMillis(5));
    }

    /** Every component set to something other than the builder's default. */
    private static InvocationRecord full() {
        return InvocationRecord.builder().requestId("req-2").attempt(3).startedAt(T.plusSeconds(1)).agent("a2")
                .team("platform").tool("claude").model("claude-sonnet-4-5").outcome(Outcome.FAILED).exitCode(2)
                .usage(Usage.of(1, 2, 3, 4)).costUsd(new BigDecimal("0.01")).costSource(CostSource.TOOL_REPORTED)
                .reservedUsd(new BigDecimal("0.02")).latency(Duration.ofMillis(9)).errorCode("LLM-032")
                .errorSummary("exit 2").promptText("p").responseText("r").label("ticket", "OPS-1")
                .modelUsage(List.of(ModelUsage.of("claude-haiku-4-5", Usage.of(1, 1, 0, 0), new BigDecimal("0.001"))))
                .routeInput(RouteInput.builder(1800).build()).build();
    }

    @Test
    void builder_minimal_fillsTheDocumentedDefaults() {
        InvocationRecord r = minimal().build();

        assertThat(r).isEqualTo(new InvocationRecord("req-1", 1, T, "reviewer", Optional.empty(), "", "",
                Outcome.SUCCESS, OptionalInt.empty(), Usage.unknown(), Optional.empty(), CostSource.UNKNOWN,
                Optional.empty(), Duration.ofMillis(5), Optional.empty(), "", Optional.empty(), Optional.empty(),
                Map.of(), List.of()));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        InvocationRecord full = full();

        assertThat(RecordComponents.equalIn(full, minimal().build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void toBuilder_withOneChange_changesOnlyThatComponent() {
        InvocationRecord full = full();

        InvocationRecord relabelled = full.toBuilder().labels(Map.of("env", "ci")).build();

        assertThat(relabelled.labels()).isEqualTo(Map.of("env", "ci"));
        assertThat(RecordComponents.equalIn(relabelled, full)).hasSize(full.getClass().getRecordComponents().length - 1)
                .doesNotContain("labels");
    }

    @Test
    void build_withoutARequiredPart_namesIt() {
        assertThatThrownBy(() -> InvocationRecord.builder().startedAt(T).agent("a").outcome(Outcome.SUCCESS)
                .latency(Duration.ZERO).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("InvocationRecord.requestId is required and was not set");
        assertThatThrownBy(() -> InvocationRecord.builder().requestId("r").startedAt(T).agent("a")
                .outcome(Outcome.SUCCESS).build())
                .hasMessage("InvocationRecord.latency is required and was not set");
    }

    @Test
    void build_withValuesOutOfRange_namesFieldAndValue() {
        assertThatThrownBy(() -> minimal().attempt(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attempt must be >= 0, was -1");
        assertThatThrownBy(() -> minimal().latency(Duration.ofMillis(-3)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("InvocationRecord.latency must be >= 0, was PT-0.003S");
    }

    @Test
    void setters_rejectNull_andOptionalOverloadsTakeEmpty() {
        assertThatThrownBy(() -> minimal().team((String) null)).isInstanceOf(NullPointerException.class);
        assertThat(full().toBuilder().team(Optional.empty()).exitCode(OptionalInt.empty()).build())
                .satisfies(r -> {
                    assertThat(r.team()).isEmpty();
                    assertThat(r.exitCode()).isEmpty();
                });
    }
}
