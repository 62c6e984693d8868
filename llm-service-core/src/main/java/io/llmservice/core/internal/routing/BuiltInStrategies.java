package io.llmservice.core.internal.routing;

import io.llmservice.config.RoutingPolicy;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.spi.RoutingStrategyProvider;

/** The providers of the two built-in strategies, registered with {@link java.util.ServiceLoader}. */
public final class BuiltInStrategies {
    private BuiltInStrategies() {
    }

    /** {@code preference}: the agent's tool/model, then its fallbacks. */
    public static final class Preference implements RoutingStrategyProvider {
        @Override
        public String type() {
            return PreferenceStrategy.TYPE;
        }

        @Override
        public RoutingStrategy create(RoutingPolicy policy) {
            return new PreferenceStrategy();
        }
    }

    /** {@code cost-optimized}: the cheapest compatible model of the tier the prompt needs. */
    public static final class CostOptimized implements RoutingStrategyProvider {
        @Override
        public String type() {
            return CostOptimizedStrategy.TYPE;
        }

        @Override
        public RoutingStrategy create(RoutingPolicy policy) {
            return new CostOptimizedStrategy(policy);
        }
    }
}
