package io.llmservice.spi;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CooldownEntryTest {
    private static final CooldownKey KEY = new CooldownKey("codex", "gpt-5-codex", "f1");

    @Test
    void builder_keyAndReasonOnly_fillsTheDocumentedDefaults() {
        assertThat(CooldownEntry.builder().key(KEY).reason("HTTP 429").build())
                .isEqualTo(new CooldownEntry(KEY, 1, "HTTP 429", Optional.empty()));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        CooldownEntry full = CooldownEntry.builder().key(new CooldownKey("claude-code", "claude-sonnet-4-5", "f2"))
                .failures(3).reason("authentication failed (HTTP 401)").until(Instant.parse("2026-12-06T21:00:00Z"))
                .build();

        assertThat(RecordComponents.equalIn(full, CooldownEntry.builder().key(KEY).reason("HTTP 429").build()))
                .isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        CooldownEntry counting = full.toBuilder().until(Optional.empty()).build();
        assertThat(RecordComponents.equalIn(counting, full)).doesNotContain("until").hasSize(3);
        assertThat(counting.coolingAt(Instant.EPOCH)).isFalse();
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> CooldownEntry.builder().reason("HTTP 429").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("CooldownEntry.key is required and was not set");
        assertThatThrownBy(() -> CooldownEntry.builder().key(KEY).build())
                .isInstanceOf(IllegalStateException.class).hasMessage("CooldownEntry.reason is required and was not set");
        assertThatThrownBy(() -> CooldownEntry.builder().key(KEY).reason("HTTP 500").failures(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("failures must be >= 1, was 0");
    }
}
