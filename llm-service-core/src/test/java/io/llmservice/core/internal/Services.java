package io.llmservice.core.internal;

import io.llmservice.Ticker;
import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.core.internal.budget.LimitBudgetPolicyProvider;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.routing.BuiltInStrategies;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStoreProvider;
import io.llmservice.spi.BudgetPolicyProvider;
import io.llmservice.spi.LlmServiceSettings;
import io.llmservice.spi.RoutingStrategyProvider;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.spi.ToolAdapterProvider;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Assembles services from code-built configs and in-process adapters. */
final class Services {
    private Services() {
    }

    static LlmService build(LlmConfig config, ToolAdapterProvider adapters, TelemetryStore store,
                            LlmServiceListener... listeners) {
        return build(config, adapters, store, Clock.systemUTC(), Sleeper.real(), listeners);
    }

    /** With a test clock, and a sleeper for rate limits that wait. */
    static LlmService build(LlmConfig config, ToolAdapterProvider adapters, TelemetryStore store, Clock clock,
                            Sleeper sleeper, LlmServiceListener... listeners) {
        return build(config, adapters, store, clock, Ticker.system(), sleeper, listeners);
    }

    /** With a test clock for timestamps and a test ticker for intervals. */
    static LlmService build(LlmConfig config, ToolAdapterProvider adapters, TelemetryStore store, Clock clock,
                            Ticker ticker, Sleeper sleeper, LlmServiceListener... listeners) {
        LlmServiceSettings settings = new LlmServiceSettings(ConfigSource.text("test", ""), clock, ticker,
                List.of(listeners), Optional.of(store), Services.class.getClassLoader(), Map.of(), Optional.empty());
        ServiceAssembly.ProviderSet providers = new ServiceAssembly.ProviderSet(
                Providers.of(ToolAdapterProvider.class, List.of(adapters), ToolAdapterProvider::type),
                Providers.of(RoutingStrategyProvider.class,
                        List.of(new BuiltInStrategies.Preference(), new BuiltInStrategies.CostOptimized()),
                        RoutingStrategyProvider::type),
                Providers.of(BudgetPolicyProvider.class, List.of(new LimitBudgetPolicyProvider()),
                        BudgetPolicyProvider::type),
                Providers.of(TelemetryStoreProvider.class, List.of(new InMemoryTelemetryStoreProvider()),
                        TelemetryStoreProvider::type));
        return ServiceAssembly.assemble(config, settings, providers, OsFamily.LINUX, sleeper);
    }
}
