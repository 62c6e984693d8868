package io.llmservice;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsRowTest {

    @Test
    void builder_putsEveryValueInItsComponent() {
        StatsRow row = StatsRow.builder().period("2026-12").group("reviewer").requests(3).succeeded(2).attempts(4)
                .tokens(10, 20, 30, 40).costUsd(new BigDecimal("0.5"))
                .latency(Duration.ofMillis(100), Duration.ofMillis(900)).build();

        assertThat(row).isEqualTo(new StatsRow("2026-12", "reviewer", 3, 2, 4, 10, 20, 30, 40, new BigDecimal("0.5"),
                Duration.ofMillis(100), Duration.ofMillis(900)));
        assertThat(RecordComponents.equalIn(row, StatsRow.builder().period("p").group("g").build())).isEmpty();
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> StatsRow.builder().period("2026-12").build())
                .isInstanceOf(IllegalStateException.class).hasMessage("StatsRow.group is required and was not set");
        assertThatThrownBy(() -> StatsRow.builder().period("p").group("g").tokens(1, -2, 0, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("StatsRow.outputTokens must be >= 0, was -2");
        assertThatThrownBy(() -> StatsRow.builder().period("p").group("g").requests(1).succeeded(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StatsRow.succeeded must be <= requests, was 2 of 1");
    }
}
