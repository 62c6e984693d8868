package io.llmservice.core.internal.pipeline;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Usage;
import io.llmservice.config.ModelDefinition;
import io.llmservice.spi.ToolResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cost of a finished call: the tool's own figure when it reports one, else usage times the
 * model's list price (cache reads and writes priced separately; an unreported cache count is
 * taken as zero), else unknown. A per-model breakdown is priced model by model: a share without
 * the tool's figure costs its tokens at its own model's list price (a haiku sub-agent at haiku's),
 * and the call then costs the sum of its shares; a share of a model the catalogue does not know
 * counts at the requested model's price in that sum (its own share keeps an unknown cost).
 */
public final class CostCalculator {

    /** The cost and where it came from. */
    public record Cost(Optional<BigDecimal> usd, CostSource source) {
    }

    /** The cost of a call and its per-model breakdown with each share priced. */
    public record Priced(Cost cost, List<ModelUsage> modelUsage) {
    }

    /** The cost of a call without a per-model breakdown, or whose breakdown is already priced. */
    public Cost cost(ToolResult result, ModelDefinition model) {
        return price(result, model, id -> Optional.empty()).cost();
    }

    /**
     * The cost of a call, pricing each share of its breakdown the tool gave no figure for at that
     * share's model ({@code models} looks catalogue models up by id).
     */
    public Priced price(ToolResult result, ModelDefinition model, Function<String, Optional<ModelDefinition>> models) {
        List<ModelUsage> shares = priced(result.modelUsage(), models);
        if (result.reportedCostUsd().isPresent()) {
            return new Priced(new Cost(result.reportedCostUsd(), CostSource.TOOL_REPORTED), shares);
        }
        if (!shares.isEmpty()) {
            return new Priced(sharesCost(result.modelUsage(), shares, model), shares);
        }
        Usage u = result.usage();
        if (!u.isKnown()) {
            return new Priced(new Cost(Optional.empty(), CostSource.UNKNOWN), shares);
        }
        return new Priced(new Cost(Optional.of(listPrice(u, model)), CostSource.COMPUTED), shares);
    }

    /**
     * Known tokens at {@code model}'s list price (unknown cache counts as none); {@code llm-service whatif}
     * re-prices recorded usage with it.
     *
     * @throws java.util.NoSuchElementException when the input or output count is unknown
     */
    public static BigDecimal listPrice(Usage u, ModelDefinition model) {
        return model.pricing().cost(u.inputTokens().getAsLong(), u.outputTokens().getAsLong(),
                u.cacheReadTokens().orElse(0), u.cacheWriteTokens().orElse(0));
    }

    /**
     * The call's cost from its breakdown: each share at its own cost, and a share the catalogue
     * cannot price (a model it does not know) at the requested model's list price, so a sub-agent
     * on a new model never makes the priced shares fall back to the requested model's price.
     * Unknown when a share has neither a cost nor known input and output counts.
     */
    private static Cost sharesCost(List<ModelUsage> reported, List<ModelUsage> shares, ModelDefinition model) {
        BigDecimal total = BigDecimal.ZERO;
        for (ModelUsage m : shares) {
            if (m.costUsd().isPresent()) {
                total = total.add(m.costUsd().get());
                continue;
            }
            Usage u = m.usage();
            if (!u.isKnown()) {
                return new Cost(Optional.empty(), CostSource.UNKNOWN);
            }
            total = total.add(listPrice(u, model));
        }
        boolean allReported = reported.stream().allMatch(m -> m.costUsd().isPresent());
        return new Cost(Optional.of(total), allReported ? CostSource.TOOL_REPORTED : CostSource.COMPUTED);
    }

    /**
     * The breakdown with a cost on every share the catalogue can price: the tool's figure where it
     * gave one, else the share's tokens at its model's list price; a share of a model the catalogue
     * does not know, or whose input or output count is unknown, keeps an unknown cost.
     */
    List<ModelUsage> priced(List<ModelUsage> shares, Function<String, Optional<ModelDefinition>> models) {
        List<ModelUsage> priced = new ArrayList<>(shares.size());
        for (ModelUsage m : shares) {
            Usage u = m.usage();
            Optional<ModelDefinition> def = m.costUsd().isPresent() || !u.isKnown() ? Optional.empty()
                    : models.apply(m.model());
            priced.add(def.map(d -> ModelUsage.of(m.model(), u, listPrice(u, d))).orElse(m));
        }
        return priced;
    }
}
