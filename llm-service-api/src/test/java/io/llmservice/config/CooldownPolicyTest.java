package io.llmservice.config;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CooldownPolicyTest {

    @Test
    void builder_nothingSet_isTheDocumentedDefault() {
        assertThat(CooldownPolicy.builder().build()).isEqualTo(new CooldownPolicy(true, 3, Duration.ofMinutes(5),
                Duration.ofHours(1))).isEqualTo(CooldownPolicy.defaults());
        assertThat(CooldownPolicy.off()).isEqualTo(new CooldownPolicy(false, 3, Duration.ofMinutes(5),
                Duration.ofHours(1)));
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        CooldownPolicy full = CooldownPolicy.builder().enabled(false).after(2).duration(Duration.ofMinutes(1))
                .authDuration(Duration.ofHours(4)).build();

        assertThat(RecordComponents.equalIn(full, CooldownPolicy.builder().build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        CooldownPolicy patient = full.toBuilder().after(5).build();
        assertThat(RecordComponents.equalIn(patient, full)).doesNotContain("after").hasSize(3);
    }

    @Test
    void build_namesTheBadValue() {
        assertThatThrownBy(() -> CooldownPolicy.builder().after(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cooldown after must be >= 1 failure, was 0");
        assertThatThrownBy(() -> CooldownPolicy.builder().duration(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cooldown durations must be > 0, were PT0S and PT1H");
    }
}
