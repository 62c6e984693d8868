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

    @Test
    void builder_minimal_fillsTheDocumentedDefaults() {
        ToolInvocation inv = ToolInvocation.builder("hi").requestId("r").model("m", "tool-m").build();

        // none() makes a new signal each time: compare the rest, and check the signal never fires
        assertThat(inv).usingRecursiveComparison().ignoringFields("cancellation").isEqualTo(
                new ToolInvocation("r", 1, "hi", "m", "tool-m", ToolDefinition.DEFAULT_TIMEOUT, Optional.empty(),
                        CancellationSignal.none()));
        assertThat(inv.cancellation().isCancelled()).isFalse();
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
                .timeout(Duration.ofSeconds(5)).workingDirectory(Path.of("/tmp")).cancellation(other)
                .resumeSession("4f1c").build();

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
