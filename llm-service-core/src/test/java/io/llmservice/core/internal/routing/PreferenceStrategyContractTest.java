package io.llmservice.core.internal.routing;

import io.llmservice.config.LlmConfig;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.testkit.AbstractRoutingStrategyContractTest;

/** The built-in {@code preference} strategy keeps the routing contract. */
class PreferenceStrategyContractTest extends AbstractRoutingStrategyContractTest {
    @Override
    protected RoutingStrategy createStrategy() {
        return new PreferenceStrategy();
    }

    @Override
    protected LlmConfig configuration() {
        return ContractCatalogue.config();
    }
}
