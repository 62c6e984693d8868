package io.llmservice.spi;

import io.llmservice.RecordComponents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetStandingTest {

    @Test
    void builder_defaultsAmountsToZero() {
        assertThat(BudgetStanding.builder().budget("b").periodKey("daily:2026-12-01").build())
                .isEqualTo(new BudgetStanding("b", "daily:2026-12-01", BigDecimal.ZERO, BigDecimal.ZERO,
                        BigDecimal.ZERO, 0));
    }

    @Test
    void toBuilder_copiesEveryComponent_andWithReservedUsdChangesOnlyThat() {
        BudgetStanding full = new BudgetStanding("b", "p", new BigDecimal("3"), new BigDecimal("1"),
                new BigDecimal("0.5"), 2);

        assertThat(RecordComponents.equalIn(full, BudgetStanding.builder().budget("x").periodKey("y").build()))
                .isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
        assertThat(full.withReservedUsd(BigDecimal.TEN))
                .isEqualTo(new BudgetStanding("b", "p", new BigDecimal("3"), BigDecimal.TEN, new BigDecimal("0.5"), 2));
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> BudgetStanding.builder().budget("b").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BudgetStanding.periodKey is required and was not set");
        assertThatThrownBy(() -> BudgetStanding.builder().budget("b").periodKey("p").expiryCharges(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expiryCharges must be >= 0, was -1");
    }
}
