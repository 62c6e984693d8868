package io.llmservice;

import io.llmservice.config.LimitType;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetStatusTest {

    private static BudgetStatus.Builder minimal() {
        return BudgetStatus.builder().name("daily").scope(Scope.global()).period("daily 2026-12-01")
                .limitType(LimitType.HARD).limitUsd(new BigDecimal("25"));
    }

    @Test
    void builder_defaultsAmountsToZero() {
        BudgetStatus s = minimal().build();

        assertThat(s).isEqualTo(new BudgetStatus("daily", Scope.global(), "daily 2026-12-01", LimitType.HARD,
                new BigDecimal("25"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0));
        assertThat(s.remainingUsd()).isEqualByComparingTo("25");
    }

    @Test
    void toBuilder_copiesEveryComponent() {
        BudgetStatus full = new BudgetStatus("team", new Scope(Map.of(ScopeKind.TEAM, "platform")), "monthly 2026-12",
                LimitType.SOFT, new BigDecimal("100"), new BigDecimal("7"), new BigDecimal("1"),
                new BigDecimal("0.5"), 1);

        assertThat(RecordComponents.equalIn(full, minimal().build())).isEmpty();
        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void build_namesTheMissingPartOrTheBadValue() {
        assertThatThrownBy(() -> BudgetStatus.builder().name("n").scope(Scope.global()).period("p")
                .limitType(LimitType.HARD).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BudgetStatus.limitUsd is required and was not set");
        assertThatThrownBy(() -> minimal().expiryCharges(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("expiryCharges must be >= 0, was -2");
    }
}
