package io.llmservice.core.internal.pipeline;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Usage;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.Pricing;
import io.llmservice.config.Tier;
import io.llmservice.spi.ToolResult;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CostCalculatorTest {
    private static final ModelDefinition SONNET = model("claude-sonnet-4-5", "3", "15");
    private static final ModelDefinition HAIKU = model("claude-haiku-4-5", "1", "5");
    private static final Map<String, ModelDefinition> CATALOGUE = Map.of(SONNET.id(), SONNET, HAIKU.id(), HAIKU);

    private final CostCalculator costs = new CostCalculator();

    private static ModelDefinition model(String id, String input, String output) {
        return new ModelDefinition(id, "anthropic", Tier.STANDARD, 200_000, new Pricing(new BigDecimal(input),
                new BigDecimal(output), new BigDecimal("0.1"), new BigDecimal("1")), Optional.empty());
    }

    @Test
    void breakdownWithoutTheToolsFigures_eachShareAtItsOwnModelsPrice_notAtTheRequestedOnes() {
        List<ModelUsage> priced = costs.priced(List.of(
                ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0)),
                ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0)),
                ModelUsage.of("some-new-model", Usage.of(1, 1, 0, 0))), id -> Optional.ofNullable(CATALOGUE.get(id)));

        // sonnet 400 x 3 + 30 x 15 = 1650 micro-dollars; haiku 200 x 1 + 20 x 5 = 300
        assertThat(priced.get(0).costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.00165"));
        assertThat(priced.get(1).costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.0003"));
        assertThat(priced.get(2).costUsd()).as("a model the catalogue does not know").isEmpty();

        ToolResult noFigures = ToolResult.builder("ok").usage(Usage.of(600, 50, 0, 0)).modelUsage(List.of(
                ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0)),
                ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0)))).build();
        CostCalculator.Priced both = costs.price(noFigures, SONNET, id -> Optional.ofNullable(CATALOGUE.get(id)));
        assertThat(both.modelUsage()).allSatisfy(m -> assertThat(m.costUsd()).isPresent());
        CostCalculator.Cost cost = both.cost();
        assertThat(cost.source()).as("priced by us, not reported").isEqualTo(CostSource.COMPUTED);
        // not 600 x 3 + 50 x 15 = 2550: the sub-agent's tokens at haiku's price
        assertThat(cost.usd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.00195"));
    }

    @Test
    void toolsOwnTotal_winsOverTheShares() {
        ToolResult r = ToolResult.builder("ok").usage(Usage.of(600, 50, 0, 0)).reportedCostUsd(new BigDecimal("0.002"))
                .modelUsage(List.of(ModelUsage.of("claude-haiku-4-5", Usage.of(1, 1, 0, 0), BigDecimal.ONE))).build();
        assertThat(costs.cost(r, SONNET)).isEqualTo(new CostCalculator.Cost(Optional.of(new BigDecimal("0.002")),
                CostSource.TOOL_REPORTED));
    }

    @Test
    void shareOfAModelTheCatalogueDoesNotKnow_onlyThatShareAtTheRequestedPrice_theOthersAtTheirOwn() {
        ToolResult r = ToolResult.builder("ok").usage(Usage.of(610, 60, 0, 0)).modelUsage(List.of(
                ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0)),
                ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0)),
                ModelUsage.of("some-new-model", Usage.of(10, 10, 0, 0)))).build();

        CostCalculator.Priced priced = costs.price(r, SONNET, id -> Optional.ofNullable(CATALOGUE.get(id)));

        assertThat(priced.cost().source()).isEqualTo(CostSource.COMPUTED);
        // sonnet 1650 + haiku 300 + the unknown share at sonnet's price 10 x 3 + 10 x 15 = 180 micro-dollars;
        // not all 610/60 tokens at sonnet's price (2730)
        assertThat(priced.cost().usd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.00213"));
        assertThat(priced.modelUsage().get(2).costUsd()).as("no price invented for the unknown model's own share")
                .isEmpty();
    }

    @Test
    void unpricedShareWithoutTokenCounts_costUnknown_notGuessedFromTheTotal() {
        ToolResult r = ToolResult.builder("ok").usage(Usage.of(600, 50, 0, 0)).modelUsage(List.of(
                ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0)),
                ModelUsage.of("some-new-model", Usage.unknown()))).build();

        CostCalculator.Priced priced = costs.price(r, SONNET, id -> Optional.ofNullable(CATALOGUE.get(id)));

        assertThat(priced.cost()).isEqualTo(new CostCalculator.Cost(Optional.empty(), CostSource.UNKNOWN));
    }
}
