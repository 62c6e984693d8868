package io.llmservice.spi;

import io.llmservice.ModelUsage;
import io.llmservice.RecordComponents;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolResultTest {

    @Test
    void builder_textOnly_fillsTheDocumentedDefaults() {
        assertThat(ToolResult.builder("ok").build())
                .isEqualTo(new ToolResult("ok", Usage.unknown(), Optional.empty(), Optional.empty(), 0, List.of()));
    }

    @Test
    void toBuilder_copiesEveryComponent_andAWarningIsAppended() {
        ToolResult full = ToolResult.builder("answer").usage(Usage.of(1, 2, 3, 4))
                .reportedCostUsd(new BigDecimal("0.5")).reportedModel("m-2026").exitCode(3).warning("w1")
                .sessionId("s-1").modelUsage(List.of(ModelUsage.of("m-2026", Usage.of(1, 1, 0, 0)))).build();

        assertThat(RecordComponents.equalIn(full, ToolResult.builder("").build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        assertThat(full.toBuilder().warning("w2").build().warnings()).containsExactly("w1", "w2");
        assertThat(full.warnings()).containsExactly("w1");
    }

    @Test
    void builder_rejectsNullText() {
        assertThatThrownBy(() -> ToolResult.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    }

    @Test
    void twoSharesOfOneModel_rejected_namingTheModels() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ToolResult.builder("ok").modelUsage(List.of(
                        ModelUsage.of("m", Usage.of(1, 1, 0, 0)), ModelUsage.of("m", Usage.of(2, 2, 0, 0)))).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelUsage must hold one share per model, was [m, m]");
    }
}
