package io.llmservice.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * List prices in US dollars per one million tokens. Cache reads and cache writes are priced
 * separately from plain input.
 *
 * <pre>{@code
 * Pricing sonnet = new Pricing(new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.30"), new BigDecimal("3.75"));
 * BigDecimal usd = sonnet.cost(1_000_000, 100_000, 0, 0);   // 3 + 1.5 = 4.5
 * }</pre>
 *
 * <p>Immutable and thread-safe.
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
