package io.llmservice.config;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputSpecTest {

    @Test
    void builder_formatOnly_fillsTheDocumentedDefaults() {
        assertThat(OutputSpec.builder().format(OutputFormat.JSON).build())
                .isEqualTo(new OutputSpec(OutputFormat.JSON, Map.of(), false, Optional.empty()));
        assertThat(OutputSpec.text()).isEqualTo(new OutputSpec(OutputFormat.TEXT, Map.of(), false, Optional.empty()));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        OutputSpec full = OutputSpec.builder().format(OutputFormat.JSONL)
                .path(OutputField.TEXT, "$[?(@.type == 'result')].text")
                .inputIncludesCacheRead(true)
                .modelUsage(new ModelUsageSpec("$.modelUsage", Map.of(OutputField.INPUT_TOKENS, "$.inputTokens")))
                .build();

        assertThat(RecordComponents.equalIn(full, OutputSpec.builder().format(OutputFormat.JSON).build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        OutputSpec plain = full.toBuilder().inputIncludesCacheRead(false).build();
        assertThat(RecordComponents.equalIn(plain, full)).doesNotContain("inputIncludesCacheRead").hasSize(3);
    }

    @Test
    void pathsReplaces_andPathAddsOneAfterThoseAFieldHas() {
        OutputSpec s = OutputSpec.builder().format(OutputFormat.JSON).path(OutputField.MODEL, "$.gone")
                .paths(Map.of(OutputField.TEXT, List.of("$.result")))
                .path(OutputField.TEXT, "$.text").path(OutputField.COST_USD, "$.cost").build();

        assertThat(s.paths()).isEqualTo(Map.of(OutputField.TEXT, List.of("$.result", "$.text"),
                OutputField.COST_USD, List.of("$.cost")));
    }

    @Test
    void build_namesTheMissingPart() {
        assertThatThrownBy(() -> OutputSpec.builder().path(OutputField.TEXT, "$.result").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("OutputSpec.format is required and was not set");
    }
}
