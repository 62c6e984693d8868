package io.llmservice.core.internal.routing;

import io.llmservice.config.LlmConfig;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.testkit.AbstractRoutingStrategyContractTest;

/** The built-in {@code cost-optimized} strategy keeps the routing contract. */
class CostOptimizedStrategyContractTest extends AbstractRoutingStrategyContractTest {
    @Override
    protected RoutingStrategy createStrategy() {
        return new CostOptimizedStrategy(RoutingPolicy.defaults());
    }

    @Override
    protected LlmConfig configuration() {
        return ContractCatalogue.config();
    }
}
