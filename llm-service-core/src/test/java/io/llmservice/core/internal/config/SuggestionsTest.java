package io.llmservice.core.internal.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuggestionsTest {
    @Test
    void closest_withinTwoEdits() {
        assertThat(Suggestions.closest("binray", List.of("type", "binary", "args"))).contains("binary");
        assertThat(Suggestions.closest("agent", List.of("models", "agents"))).contains("agents");
        assertThat(Suggestions.closest("modle", List.of("model", "prompt"))).contains("model");
    }

    @Test
    void closest_nothingWhenFarOrWholeWordReplaced() {
        assertThat(Suggestions.closest("pipelines", List.of("models", "tools"))).isEmpty();
        assertThat(Suggestions.closest("x", List.of("t"))).isEmpty();
        assertThat(Suggestions.closest("anything", List.of())).isEmpty();
    }

    @Test
    void distance_isLevenshtein() {
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
        assertThat(Suggestions.distance("same", "same")).isZero();
    }
}
