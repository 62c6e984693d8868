package io.llmservice.config;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolDefinitionTest {

    @Test
    void builder_nameOnly_fillsTheDocumentedDefaults() {
        assertThat(ToolDefinition.builder().name("t").build()).isEqualTo(new ToolDefinition("t", "cli", "", Map.of(),
                List.of(), PromptMode.STDIN, Map.of(), Map.of(), OutputSpec.text(), ToolDefinition.DEFAULT_TIMEOUT,
                List.of(), List.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES, Map.of(), false, ErrorSpec.defaults(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty()));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        ToolDefinition full = ToolDefinition.builder().name("acme").type("acme-http").binary("acme")
                .binaryByOs(Map.of(OsFamily.WINDOWS, "acme.exe")).args(List.of("run", "{model}"))
                .prompt(PromptMode.FILE).env("ACME_REGION", "eu").model("acme-small", "small-v1")
                .output(new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.text")), true))
                .timeout(Duration.ofSeconds(90)).retriableWhen(List.of("busy")).versionArgs(List.of("--version"))
                .maxOutputBytes(1024).options(Map.of("endpoint", "https://acme.example")).leaveDescendants(true)
                .session(SessionSpec.builder().resume(List.of("--resume", "{session}")).id(List.of("$.id")).build())
                .errors(ErrorSpec.builder().exitCode(145, FailureKind.AUTH).authHint("log in").build())
                .settingsFile(new SettingsFile("ACME_SETTINGS", "{\"retries\":0}"))
                .scratchDir(new ScratchDir(List.of("ACME_HOME")))
                .build();

        assertThat(RecordComponents.equalIn(full, ToolDefinition.builder().name("t").build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        ToolDefinition capped = full.toBuilder().maxOutputBytes(100).build();
        assertThat(RecordComponents.equalIn(capped, full)).doesNotContain("maxOutputBytes").hasSize(18);
    }

    @Test
    void collectionSetters_replace_andSingleEntrySettersAdd() {
        ToolDefinition t = ToolDefinition.builder().name("t").model("a", "a1").models(Map.of("b", "b1"))
                .model("c", "c1").env(Map.of("X", "1")).env("Y", "2").build();

        assertThat(t.models()).isEqualTo(Map.of("b", "b1", "c", "c1"));
        assertThat(t.env()).isEqualTo(Map.of("X", "1", "Y", "2"));
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> ToolDefinition.builder().binary("x").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("ToolDefinition.name is required and was not set");
        assertThatThrownBy(() -> ToolDefinition.builder().name(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ToolDefinition.name must not be blank, was ' '");
        assertThatThrownBy(() -> ToolDefinition.builder().name("t").timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tools.t.timeout must be positive, was PT0S");
        assertThatThrownBy(() -> ToolDefinition.builder().name("t").maxOutputBytes(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tools.t.max_output_bytes must be > 0, was 0");
    }
}
