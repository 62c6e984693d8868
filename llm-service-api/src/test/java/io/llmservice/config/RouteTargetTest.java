package io.llmservice.config;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RouteTargetTest {

    @Test
    void equalsAndHashCode_areByToolAndModel_likeARecordsOwn() {
        RouteTarget a = new RouteTarget("claude-code", "claude-sonnet-4-5");
        assertThat(a).isEqualTo(new RouteTarget("claude-code", "claude-sonnet-4-5"))
                .hasSameHashCodeAs(new RouteTarget("claude-code", "claude-sonnet-4-5"))
                .isNotEqualTo(new RouteTarget("claude-code", "claude-opus-4-1"))
                .isNotEqualTo(new RouteTarget("codex", "claude-sonnet-4-5"))
                .isNotEqualTo("claude-code/claude-sonnet-4-5")
                .isNotEqualTo(null);
        // The tool and model are not simply concatenated: "a"+"bc" and "ab"+"c" are different targets.
        assertThat(new RouteTarget("a", "bc")).isNotEqualTo(new RouteTarget("ab", "c"));
        assertThat(Set.of(a, new RouteTarget("codex", "gpt-5"))).contains(new RouteTarget("codex", "gpt-5"));
        assertThat(a).hasToString("claude-code/claude-sonnet-4-5");
    }

    @Test
    void nullToolOrModel_isRefused() {
        assertThatThrownBy(() -> new RouteTarget(null, "m")).isInstanceOf(NullPointerException.class).hasMessage("tool");
        assertThatThrownBy(() -> new RouteTarget("t", null)).isInstanceOf(NullPointerException.class).hasMessage("model");
    }
}
