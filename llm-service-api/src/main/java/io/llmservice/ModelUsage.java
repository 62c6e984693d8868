package io.llmservice;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One model's share of one call: a coding agent may run sub-agents on other models (Claude Code
 * runs a haiku sub-agent inside a sonnet call), and a tool that reports a per-model breakdown
 * ({@code output.model_usage} in YAML) books each model's tokens and cost under that model.
 *
 * <pre>{@code
 * LlmResponse r = call.execute();
 * for (ModelUsage m : r.modelUsage()) {          // empty when the tool gives no breakdown
 *     System.out.printf("%s: %s, $%s%n", m.model(), m.usage(), m.costUsd().orElse(null));
 * }
 * ModelUsage sub = ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 0, 0), new BigDecimal("0.0003"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param model   the catalogue model id when the tool's {@code models:} maps the id the tool
 *                reported (a dated id such as {@code claude-haiku-4-5-20251001} maps to
 *                {@code claude-haiku-4-5}); otherwise the id exactly as the tool reported it
 * @param usage   this model's tokens, possibly unknown
 * @param costUsd this model's cost in US dollars, when the tool reports it or the catalogue prices it
 */
public record ModelUsage(String model, Usage usage, Optional<BigDecimal> costUsd) {
    public ModelUsage {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        if (model.isBlank()) {
            throw new IllegalArgumentException("ModelUsage.model must not be blank");
        }
        if (costUsd.isPresent() && costUsd.get().signum() < 0) {
            throw new IllegalArgumentException("ModelUsage.costUsd must be >= 0, was " + costUsd.get().toPlainString());
        }
    }

    /** A model's share with a known cost. */
    public static ModelUsage of(String model, Usage usage, BigDecimal costUsd) {
        return new ModelUsage(model, usage, Optional.of(costUsd));
    }

    /** A model's share whose cost is not known. */
    public static ModelUsage of(String model, Usage usage) {
        return new ModelUsage(model, usage, Optional.empty());
    }

    /**
     * The sum of the shares' tokens: a count is known when it is known for every share; unknown
     * when there is no share.
     */
    public static Usage totalUsage(List<ModelUsage> shares) {
        if (shares.isEmpty()) {
            return Usage.unknown();
        }
        return Usage.of(sum(shares, Usage::inputTokens), sum(shares, Usage::outputTokens),
                sum(shares, Usage::cacheReadTokens), sum(shares, Usage::cacheWriteTokens));
    }

    /** The sum of the shares' costs; empty when there is no share or one share's cost is unknown. */
    public static Optional<BigDecimal> totalCostUsd(List<ModelUsage> shares) {
        BigDecimal total = null;
        for (ModelUsage m : shares) {
            if (m.costUsd().isEmpty()) {
                return Optional.empty();
            }
            total = total == null ? m.costUsd().get() : total.add(m.costUsd().get());
        }
        return Optional.ofNullable(total);
    }

    private static OptionalLong sum(List<ModelUsage> shares,
                                              Function<Usage, OptionalLong> count) {
        long total = 0;
        for (ModelUsage m : shares) {
            OptionalLong n = count.apply(m.usage());
            if (n.isEmpty()) {
                return OptionalLong.empty();
            }
            total = Math.addExact(total, n.getAsLong());
        }
        return OptionalLong.of(total);
    }
}
