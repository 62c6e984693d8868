package io.llmservice.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * List prices in US dollars per one million tokens. Cache reads and cache writes are priced
 * separately from plain input.
 */
public record Pricing(BigDecimal input, BigDecimal output, BigDecimal cacheRead, BigDecimal cacheWrite) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public Pricing {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(cacheRead, "cacheRead");
        Objects.requireNonNull(cacheWrite, "cacheWrite");
    }

    /** The cost of the given token counts, exact decimal arithmetic. */
    public BigDecimal cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
        return input.multiply(BigDecimal.valueOf(inputTokens))
                .add(output.multiply(BigDecimal.valueOf(outputTokens)))
                .add(cacheRead.multiply(BigDecimal.valueOf(cacheReadTokens)))
                .add(cacheWrite.multiply(BigDecimal.valueOf(cacheWriteTokens)))
                .divide(MILLION);
    }
}
