package io.llmservice.core.internal;

import io.llmservice.LlmService;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.config.ConfigLoader;
import io.llmservice.core.internal.config.KnownTypes;
import io.llmservice.core.internal.exec.Os;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.spi.BudgetPolicyProvider;
import io.llmservice.spi.LlmServiceFactory;
import io.llmservice.spi.LlmServiceSettings;
import io.llmservice.spi.RoutingStrategyProvider;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.spi.ToolAdapterProvider;

/**
 * The {@link LlmServiceFactory} of llm-service-core: discovers the SPI providers visible to the
 * settings' class loader, loads and validates the configuration against their names, and
 * assembles the service.
 */
public final class DefaultLlmServiceFactory implements LlmServiceFactory {

    @Override
    public LlmService create(LlmServiceSettings settings) {
        Loaded loaded = load(settings);
        return ServiceAssembly.assemble(loaded.config().config(), loaded.config().expandedVariables(), settings,
                loaded.providers(), Os.current(), Sleeper.real());
    }

    @Override
    public LlmConfig loadConfig(LlmServiceSettings settings) {
        return load(settings).config().config();
    }

    private record Loaded(ConfigLoader.Loaded config, ServiceAssembly.ProviderSet providers) {
    }

    /** The providers visible to the settings' class loader and the configuration validated against their names. */
    private static Loaded load(LlmServiceSettings settings) {
        ClassLoader loader = settings.classLoader();
        Providers<ToolAdapterProvider> adapters = Providers.load(ToolAdapterProvider.class, loader,
                ToolAdapterProvider::type);
        Providers<RoutingStrategyProvider> strategies = Providers.load(RoutingStrategyProvider.class, loader,
                RoutingStrategyProvider::type);
        Providers<BudgetPolicyProvider> budgets = Providers.load(BudgetPolicyProvider.class, loader,
                BudgetPolicyProvider::type);
        Providers<TelemetryStoreProvider> stores = Providers.load(TelemetryStoreProvider.class, loader,
                TelemetryStoreProvider::type);

        KnownTypes known = new KnownTypes(adapters.types(), strategies.types(), budgets.types(), stores.types());
        ConfigLoader.Loaded loaded = new ConfigLoader(known).read(settings.config(), settings.environment());
        return new Loaded(loaded, new ServiceAssembly.ProviderSet(adapters, strategies, budgets, stores));
    }
}
