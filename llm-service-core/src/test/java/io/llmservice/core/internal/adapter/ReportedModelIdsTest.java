package io.llmservice.core.internal.adapter;

import io.llmservice.ModelUsage;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReportedModelIdsTest {
    private final ReportedModelIds ids = new ReportedModelIds(Map.of("claude-sonnet-4-5", "sonnet",
            "claude-haiku-4-5", "claude-haiku-4-5"));

    @Test
    void catalogueId_mapsCatalogueIdsToolNamesAndDatedSnapshots_keepsTheUnknown() {
        assertThat(ids.catalogueId("claude-haiku-4-5")).isEqualTo("claude-haiku-4-5");
        assertThat(ids.catalogueId("sonnet")).isEqualTo("claude-sonnet-4-5");
        assertThat(ids.catalogueId("claude-haiku-4-5-20251001")).isEqualTo("claude-haiku-4-5");
        assertThat(ids.catalogueId("claude-haiku-4-5@20251001")).isEqualTo("claude-haiku-4-5");
        assertThat(ids.catalogueId("claude-sonnet-4-5-20250929")).isEqualTo("claude-sonnet-4-5");
        assertThat(ids.catalogueId("claude-haiku-5-5")).as("another model, not a snapshot").isEqualTo("claude-haiku-5-5");
        assertThat(ids.catalogueId("claude-haiku-4-5-2025")).as("not a date").isEqualTo("claude-haiku-4-5-2025");
    }

    @Test
    void catalogueIds_twoReportedIdsOfOneModel_areAddedUp() {
        List<ModelUsage> mapped = ids.catalogueIds(List.of(
                ModelUsage.of("claude-haiku-4-5", Usage.of(1, 2, 0, 0), new BigDecimal("0.1")),
                ModelUsage.of("claude-sonnet-4-5", Usage.of(5, 5, 0, 0), new BigDecimal("0.5")),
                ModelUsage.of("claude-haiku-4-5-20251001", Usage.of(10, 20, 0, 0), new BigDecimal("0.2"))));

        assertThat(mapped).extracting(ModelUsage::model, ModelUsage::usage).containsExactly(
                tuple("claude-haiku-4-5", Usage.of(11, 22, 0, 0)),
                tuple("claude-sonnet-4-5", Usage.of(5, 5, 0, 0)));
        assertThat(mapped.get(0).costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.3"));
    }

    @Test
    void reportedFor_theRequestedModelsEntry_neverASubAgents() {
        List<ModelUsage> reported = List.of(ModelUsage.of("claude-sonnet-4-5-20250929", Usage.unknown()),
                ModelUsage.of("claude-haiku-4-5-20251001", Usage.unknown()));
        assertThat(ReportedModelIds.reportedFor("claude-sonnet-4-5", reported, ids))
                .contains("claude-sonnet-4-5-20250929");
        assertThat(ReportedModelIds.reportedFor("claude-opus-4-5", reported, ids)).as("several, none requested")
                .isEmpty();
        assertThat(ReportedModelIds.reportedFor("claude-opus-4-5", reported.subList(0, 1), ids))
                .contains("claude-sonnet-4-5-20250929");
    }
}
