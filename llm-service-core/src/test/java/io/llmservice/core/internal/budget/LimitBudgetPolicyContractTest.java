package io.llmservice.core.internal.budget;

import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.Scope;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetPolicy;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.AbstractBudgetPolicyContractTest;

import java.math.BigDecimal;
import java.time.Clock;

/** The built-in {@code limit} budget (hard, daily, global) keeps the budget contract on the in-memory store. */
class LimitBudgetPolicyContractTest extends AbstractBudgetPolicyContractTest {
    @Override
    protected TelemetryStore createStore(Clock clock) {
        return new InMemoryTelemetryStore();
    }

    @Override
    protected BudgetPolicy createPolicy(BigDecimal limitUsd, BudgetContext context) {
        return new LimitBudgetPolicy(new BudgetDefinition("contract-daily", BudgetDefinition.DEFAULT_TYPE, Scope.global(),
                BudgetPeriod.DAILY, limitUsd, LimitType.HARD, BudgetDefinition.DEFAULT_WARN_AT, OnExceed.BLOCK), context);
    }
}
