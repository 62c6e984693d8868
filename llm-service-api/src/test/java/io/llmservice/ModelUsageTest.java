package io.llmservice;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelUsageTest {

    private static final ModelUsage SONNET = ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 10, 20),
            new BigDecimal("0.00165"));
    private static final ModelUsage HAIKU = ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0),
            new BigDecimal("0.0003"));

    @Test
    void totals_sumEveryModelsShare() {
        assertThat(ModelUsage.totalUsage(List.of(SONNET, HAIKU))).isEqualTo(Usage.of(600, 50, 10, 20));
        assertThat(ModelUsage.totalCostUsd(List.of(SONNET, HAIKU))).hasValueSatisfying(
                c -> assertThat(c).isEqualByComparingTo("0.00195"));
    }

    @Test
    void totals_aCountUnknownForOneModel_isUnknown_notUndercounted() {
        ModelUsage partial = ModelUsage.of("other", Usage.of(java.util.OptionalLong.of(5), java.util.OptionalLong.of(1),
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty()));

        Usage total = ModelUsage.totalUsage(List.of(SONNET, partial));

        assertThat(total.inputTokens()).hasValue(405);
        assertThat(total.cacheReadTokens()).isEmpty();
        assertThat(ModelUsage.totalCostUsd(List.of(SONNET, partial))).isEmpty();
    }

    @Test
    void totals_ofNoShare_areUnknown() {
        assertThat(ModelUsage.totalUsage(List.of())).isEqualTo(Usage.unknown());
        assertThat(ModelUsage.totalCostUsd(List.of())).isEmpty();
    }

    @Test
    void negativeCost_isRejected_namingTheValue() {
        assertThatThrownBy(() -> ModelUsage.of("m", Usage.unknown(), new BigDecimal("-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ModelUsage.costUsd must be >= 0, was -1");
    }
}
