package io.llmservice.core.internal.pipeline;

import io.llmservice.CostSource;
import io.llmservice.Usage;
import io.llmservice.config.ModelDefinition;
import io.llmservice.spi.ToolResult;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The cost of a finished call: the tool's own figure when it reports one, else usage times the
 * model's list price (cache reads and writes priced separately; an unreported cache count is
 * taken as zero), else unknown.
 */
public final class CostCalculator {

    /** The cost and where it came from. */
    public record Cost(Optional<BigDecimal> usd, CostSource source) {
    }

    public Cost cost(ToolResult result, ModelDefinition model) {
        if (result.reportedCostUsd().isPresent()) {
            return new Cost(result.reportedCostUsd(), CostSource.TOOL_REPORTED);
        }
        Usage u = result.usage();
        if (!u.isKnown()) {
            return new Cost(Optional.empty(), CostSource.UNKNOWN);
        }
        BigDecimal usd = model.pricing().cost(u.inputTokens().getAsLong(), u.outputTokens().getAsLong(),
                u.cacheReadTokens().orElse(0), u.cacheWriteTokens().orElse(0));
        return new Cost(Optional.of(usd), CostSource.COMPUTED);
    }
}
