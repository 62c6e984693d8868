package io.llmservice;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionTest {

    @Test
    void parse_toolColonId_roundTripsThroughToString() {
        Session s = Session.parse("claude-code:4f1c2a9e-0b7d-4d2e-9a51-3c8e7f6b1a20");

        assertThat(s.tool()).isEqualTo("claude-code");
        assertThat(s.id()).isEqualTo("4f1c2a9e-0b7d-4d2e-9a51-3c8e7f6b1a20");
        assertThat(Session.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void parse_idWithColons_keepsThemInTheId() {
        assertThat(Session.parse("my-tool:a:b")).isEqualTo(new Session("my-tool", "a:b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-code", ":abc", "claude-code:", ""})
    void parse_withoutToolOrId_saysTheForm(String text) {
        assertThatThrownBy(() -> Session.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a session is written TOOL:ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--dangerously-skip-permissions", "a b", "a\nb", " "})
    void id_thatCouldBeReadAsAnOptionOrSplit_isRejected(String id) {
        assertThatThrownBy(() -> new Session("claude-code", id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Session.id must be the tool's session id");
    }

    @Test
    void tool_withColon_isRejected() {
        assertThatThrownBy(() -> new Session("a:b", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Session.tool must be a tool name");
    }
}
