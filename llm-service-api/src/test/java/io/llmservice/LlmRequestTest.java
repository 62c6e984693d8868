package io.llmservice;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LlmRequestTest {

    @Test
    void builder_keepsEveryPart_andToBuilderCopiesThem() {
        LlmRequest r = LlmRequest.builder("Review").agent("reviewer").complexity(Complexity.SIMPLE)
                .timeout(Duration.ofSeconds(30)).tool("codex").model("gpt-5-codex").label("ticket", "OPS-1").build();
        LlmRequest copy = r.toBuilder().build();
        assertThat(copy.agent()).contains("reviewer");
        assertThat(copy.complexity()).contains(Complexity.SIMPLE);
        assertThat(copy.timeout()).contains(Duration.ofSeconds(30));
        assertThat(copy.tool()).contains("codex");
        assertThat(copy.model()).contains("gpt-5-codex");
        assertThat(copy.labels()).containsEntry("ticket", "OPS-1");
    }

    @Test
    void builder_rejectsEmptyPromptBlankNamesAndNonPositiveTimeout() {
        assertThatThrownBy(() -> LlmRequest.builder("")).hasMessage("prompt must not be empty");
        assertThatThrownBy(() -> LlmRequest.builder("x").agent(" ")).hasMessage("agent must not be blank");
        assertThatThrownBy(() -> LlmRequest.builder("x").timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
    }

    @Test
    void toString_neverShowsThePrompt() {
        assertThat(LlmRequest.builder("my secret sk-ant-123").agent("a").build().toString())
                .doesNotContain("secret").contains("promptChars=20");
    }

    @Test
    void usage_unknownIsNotZero() {
        assertThat(Usage.unknown().inputTokens()).isEmpty();
        assertThat(Usage.unknown().isKnown()).isFalse();
        assertThat(Usage.of(0, 0, 0, 0).inputTokens()).hasValue(0);
        assertThat(Usage.of(0, 0, 0, 0).isComplete()).isTrue();
        assertThat(Usage.unknown()).isNotEqualTo(Usage.of(0, 0, 0, 0));
        assertThatThrownBy(() -> Usage.of(-1, 0, 0, 0)).hasMessage("input tokens must be >= 0, was -1");
    }

    @Test
    void session_byDefaultNone_newSessionKeeps_sessionContinues() {
        assertThat(LlmRequest.builder("x").build().keepsSession()).isFalse();
        assertThat(LlmRequest.builder("x").build().session()).isEmpty();
        LlmRequest fresh = LlmRequest.builder("x").newSession().build();
        assertThat(fresh.keepsSession()).isTrue();
        assertThat(fresh.session()).isEmpty();
        Session s = new Session("codex", "0199a213");
        LlmRequest next = LlmRequest.builder("x").newSession().session(s).build();
        assertThat(next.keepsSession()).isTrue();
        assertThat(next.session()).contains(s);
        assertThat(next.toBuilder().build().session()).contains(s);
        assertThat(next.toString()).contains("session=codex:0199a213");
    }

    @Test
    void session_ofAnotherToolThanTheForcedOne_isRejectedAtBuild() {
        assertThatThrownBy(() -> LlmRequest.builder("x").tool("claude-code").session(new Session("codex", "1")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("forces tool 'claude-code' but continues session codex:1 of tool 'codex'");
        assertThat(LlmRequest.builder("x").tool("codex").session(new Session("codex", "1")).build().tool())
                .contains("codex");
    }
}
