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
                ModelUsage.of("claude-haiku-4-5-20251001", Usage.of(10, 20, 0, 0), new BigDecimal("0.2"))),
                "claude-sonnet-4-5");

        assertThat(mapped).extracting(ModelUsage::model, ModelUsage::usage).containsExactly(
                tuple("claude-haiku-4-5", Usage.of(11, 22, 0, 0)),
                tuple("claude-sonnet-4-5", Usage.of(5, 5, 0, 0)));
        assertThat(mapped.get(0).costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.3"));
    }

    @Test
    void catalogueIds_anAliasResolvedToAnUnknownId_isBookedUnderTheRequestedModel_subAgentsUnderTheirs() {
        // claude 2.1.197 resolved "sonnet" to claude-sonnet-5, which the catalogue does not know
        List<ModelUsage> mapped = ids.catalogueIds(List.of(
                ModelUsage.of("claude-sonnet-5", Usage.of(400, 30, 0, 0)),
                ModelUsage.of("claude-haiku-4-5-20251001", Usage.of(200, 20, 0, 0))), "claude-sonnet-4-5");

        assertThat(mapped).extracting(ModelUsage::model).containsExactly("claude-sonnet-4-5", "claude-haiku-4-5");
        assertThat(ids.servedRequest("claude-sonnet-4-5", List.of(ModelUsage.of("claude-sonnet-5", Usage.unknown()))))
                .map(ModelUsage::model).contains("claude-sonnet-5");
    }

    @Test
    void servedRequest_theRequestedModelsEntry_neverASubAgents() {
        List<ModelUsage> reported = List.of(ModelUsage.of("claude-sonnet-4-5-20250929", Usage.unknown()),
                ModelUsage.of("claude-haiku-4-5-20251001", Usage.unknown()));
        assertThat(ids.servedRequest("claude-sonnet-4-5", reported)).map(ModelUsage::model)
                .contains("claude-sonnet-4-5-20250929");
        assertThat(ids.servedRequest("claude-opus-4-5", reported)).as("every entry is another known model")
                .isEmpty();
        assertThat(ids.servedRequest("claude-sonnet-4-5", List.of(ModelUsage.of("x-1", Usage.unknown()),
                ModelUsage.of("x-2", Usage.unknown())))).as("two unknown ids: which one served it is not known")
                .isEmpty();
    }
}
