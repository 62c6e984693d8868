package io.llmservice.core.internal.routing;

import io.llmservice.config.ModelDefinition;
import io.llmservice.config.Pricing;

import java.math.BigDecimal;

/**
 * Estimates what a call will cost before it runs, from the prompt's estimated tokens and the
 * model's list price. Used to rank candidates under {@code cost-optimized} and (with budgets)
 * as the amount to reserve.
 *
 * <p>The output allowance is half the prompt's tokens, at least {@value #MIN_OUTPUT_ALLOWANCE}
 * and at most {@value #MAX_OUTPUT_ALLOWANCE} tokens: a review or an edit rarely writes more than
 * it reads, and a worst-case allowance (the model's maximum output) would make every estimate so
 * large that a modest budget refuses calls it could easily afford.
 */
public final class CostEstimator {
    static final long MIN_OUTPUT_ALLOWANCE = 256;
    static final long MAX_OUTPUT_ALLOWANCE = 4096;

    /** The output tokens assumed for a prompt of this size. */
    public long outputAllowance(long promptTokens) {
        return Math.max(MIN_OUTPUT_ALLOWANCE, Math.min(MAX_OUTPUT_ALLOWANCE, promptTokens / 2));
    }

    /** The estimated cost in US dollars of a call with this prompt size on this model. */
    public BigDecimal estimateUsd(ModelDefinition model, long promptTokens) {
        Pricing p = model.pricing();
        return p.cost(promptTokens, outputAllowance(promptTokens), 0, 0);
    }

    /**
     * A cheap ranking key proportional to {@link #estimateUsd}, in double precision: used only
     * to order candidates, never to charge.
     */
    public double rankingCost(ModelDefinition model, long promptTokens) {
        Pricing p = model.pricing();
        return p.input().doubleValue() * promptTokens + p.output().doubleValue() * outputAllowance(promptTokens);
    }
}
