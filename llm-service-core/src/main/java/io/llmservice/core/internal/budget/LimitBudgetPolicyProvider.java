package io.llmservice.core.internal.budget;

import io.llmservice.config.BudgetDefinition;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.BudgetPolicyProvider;

/** Provides the built-in {@code limit} budget ({@link LimitBudgetPolicy}); found by {@link java.util.ServiceLoader}. */
public final class LimitBudgetPolicyProvider implements BudgetPolicyProvider {
    /** The YAML {@code type:} of this provider. */
    public static final String TYPE = BudgetDefinition.DEFAULT_TYPE;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public BudgetPolicy create(BudgetDefinition definition, BudgetContext context) {
        return new LimitBudgetPolicy(definition, context);
    }
}
