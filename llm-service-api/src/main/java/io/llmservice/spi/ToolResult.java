package io.llmservice.spi;

import io.llmservice.Usage;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful tool invocation produced.
 *
 * @param text              the answer
 * @param usage             token counts, unknown where the tool did not report them
 * @param reportedCostUsd   the tool's own cost figure, when it reports one
 * @param reportedModel     the model the tool says it used, when it says
 * @param exitCode          the process exit status (0 for in-process adapters)
 * @param warnings          notes such as "stdout capped at 16 MiB" or "usage not reported"
 */
public record ToolResult(String text, Usage usage, Optional<BigDecimal> reportedCostUsd,
                         Optional<String> reportedModel, int exitCode, List<String> warnings) {
    public ToolResult {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(reportedCostUsd, "reportedCostUsd");
        Objects.requireNonNull(reportedModel, "reportedModel");
        warnings = List.copyOf(warnings);
    }
}
