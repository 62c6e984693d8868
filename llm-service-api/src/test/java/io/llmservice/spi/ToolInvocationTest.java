package io.llmservice.spi;

import io.llmservice.RecordComponents;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolInvocationTest {

    private static final CancellationSignal NEVER = CancellationSignal.none();

    @Test
    void builder_minimal_fillsTheDocumentedDefaults() {
        assertThat(ToolInvocation.builder("hi").requestId("r").model("m", "tool-m").build()).isEqualTo(
                new ToolInvocation("r", 1, "hi", "m", "tool-m", ToolDefinition.DEFAULT_TIMEOUT, Optional.empty(),
                        NEVER));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        CancellationSignal other = new CancellationSignal() {
            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public AutoCloseable onCancel(Runnable callback) {
                return () -> { };
            }
        };
        ToolInvocation full = ToolInvocation.builder("prompt").requestId("req-9").attempt(2).model("a", "b")
                .timeout(Duration.ofSeconds(5)).workingDirectory(Path.of("/tmp")).cancellation(other).build();

        assertThat(RecordComponents.equalIn(full, ToolInvocation.builder("x").requestId("y").model("z", "w").build()))
                .isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> ToolInvocation.builder("hi").model("m", "m").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ToolInvocation.requestId is required and was not set");
        assertThatThrownBy(() -> ToolInvocation.builder("hi").requestId("r").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("ToolInvocation.model is required and was not set");
        assertThatThrownBy(() -> ToolInvocation.builder("hi").requestId("r").model("m", "m").attempt(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ToolInvocation.attempt must be >= 1, was 0");
        assertThatThrownBy(() -> ToolInvocation.builder("hi").requestId("r").model("m", "m")
                .timeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ToolInvocation.timeout must be positive, was PT-1S");
    }
}
