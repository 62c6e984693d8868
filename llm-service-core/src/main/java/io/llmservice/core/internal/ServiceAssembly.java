package io.llmservice.core.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OsFamily;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.budget.LimitBudgetPolicyProvider;
import io.llmservice.core.internal.pipeline.AttemptChain;
import io.llmservice.core.internal.cooldown.Cooldowns;
import io.llmservice.core.internal.cooldown.InMemoryCooldownLedger;
import io.llmservice.core.internal.pipeline.BudgetStep;
import io.llmservice.core.internal.pipeline.PendingSettlements;
import io.llmservice.core.internal.pipeline.CooldownStep;
import io.llmservice.core.internal.pipeline.FallbackStep;
import io.llmservice.core.internal.pipeline.InvokeStep;
import io.llmservice.core.internal.pipeline.Listeners;
import io.llmservice.core.internal.pipeline.RateLimitStep;
import io.llmservice.core.internal.pipeline.RequestChain;
import io.llmservice.core.internal.pipeline.TelemetryRecorder;
import io.llmservice.core.internal.pipeline.TelemetryStep;
import io.llmservice.core.internal.ratelimit.RateLimiter;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.core.internal.routing.HeuristicTokenEstimator;
import io.llmservice.core.internal.secrets.SecretRedactor;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.BudgetContext;
import io.llmservice.spi.BudgetPolicyProvider;
import io.llmservice.spi.LlmServiceSettings;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.spi.RoutingStrategyProvider;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires a validated configuration and the discovered providers into a running service: one
 * adapter per tool, the routing strategy, the telemetry store, and the pipeline
 * (request chain: rate limit, fallback; attempt chain: telemetry, cooldown, budget, invoke). Rate
 * limits and cooldowns use the store's shared ones when it has them ({@link TelemetryStore#rateLimits()},
 * {@link TelemetryStore#cooldowns()}).
 */
final class ServiceAssembly {
    /** The providers a service is built from. */
    record ProviderSet(Providers<ToolAdapterProvider> adapters, Providers<RoutingStrategyProvider> strategies,
                       Providers<BudgetPolicyProvider> budgets, Providers<TelemetryStoreProvider> stores) {

        /** With only the built-in {@code limit} budget provider. */
        ProviderSet(Providers<ToolAdapterProvider> adapters, Providers<RoutingStrategyProvider> strategies,
                    Providers<TelemetryStoreProvider> stores) {
            this(adapters, strategies, Providers.of(BudgetPolicyProvider.class, List.of(new LimitBudgetPolicyProvider()),
                    BudgetPolicyProvider::type), stores);
        }
    }

    private ServiceAssembly() {
    }

    static LlmService assemble(LlmConfig config, LlmServiceSettings settings, ProviderSet providers, OsFamily os) {
        return assemble(config, settings, providers, os, Sleeper.real());
    }

    /** As {@link #assemble(LlmConfig, LlmServiceSettings, ProviderSet, OsFamily)}, waiting on rate limits with {@code sleeper}. */
    static LlmService assemble(LlmConfig config, LlmServiceSettings settings, ProviderSet providers, OsFamily os,
                               Sleeper sleeper) {
        return assemble(config, Map.of(), settings, providers, os, sleeper);
    }

    /**
     * As {@link #assemble(LlmConfig, LlmServiceSettings, ProviderSet, OsFamily, Sleeper)}, masking
     * the values of {@code expandedVariables} (the {@code ${VAR}}s the configuration read) besides
     * the tools' {@code env:} values in every message, log line and record that carries tool text.
     */
    static LlmService assemble(LlmConfig config, Map<String, String> expandedVariables, LlmServiceSettings settings,
                               ProviderSet providers, OsFamily os, Sleeper sleeper) {
        // One redactor for every sink: adapters mask tool text where they make messages of it, and
        // telemetry masks prompts and responses with the same rules.
        SecretRedactor redactor = SecretRedactor.forConfig(config, expandedVariables);
        // Opening the store (connecting to the H2 store's daemon, starting it if need be) overlaps building
        // the adapters; the service is returned only once it is open, so a store that cannot open still
        // fails build().
        TelemetrySettings telemetry = config.policies().telemetry();
        CompletableFuture<TelemetryStore> opening = settings.telemetryStore()
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> StoreOpening.open(providers.stores().require(telemetry.store()), telemetry,
                        settings.clock()));
        AdapterContext adapterContext = new AdapterContext(settings.clock(), settings.environment(), os,
                settings.ticker(), redactor);
        Map<String, ToolAdapter> adapters = new LinkedHashMap<>();
        try {
            for (ToolDefinition tool : config.tools().values()) {
                adapters.put(tool.name(), providers.adapters().require(tool.type()).create(tool, adapterContext));
            }
            RoutingStrategy strategy = providers.strategies().require(config.policies().routing().strategy())
                    .create(config.policies().routing());
            TelemetryStore store = BackgroundTask.join(opening);

            Listeners listeners = new Listeners(settings.listeners());
            TelemetryRecorder recorder = new TelemetryRecorder(store, config.policies().telemetry().privacy(),
                    redactor);
            BudgetContext budgetContext = new BudgetContext(store, settings.clock(), config.policies().timezone(),
                    message -> listeners.warning(ErrorCode.BUDGET_EXCEEDED, message));
            List<BudgetStep.Budget> budgets = new ArrayList<>();
            for (BudgetDefinition b : config.policies().budgets()) {
                budgets.add(new BudgetStep.Budget(b, providers.budgets().require(b.type()).create(b, budgetContext)));
            }
            Set<String> downgrading = config.policies().budgets().stream()
                    .filter(b -> b.onExceed() == OnExceed.DOWNGRADE).map(BudgetDefinition::name)
                    .collect(Collectors.toUnmodifiableSet());
            // The store's cooldowns when it shares them between processes; else this service's own.
            Cooldowns cooldowns = new Cooldowns(config.policies().cooldown(),
                    store.cooldowns().orElseGet(InMemoryCooldownLedger::new), settings.clock(), settings.ticker(),
                    config.tools().values());
            PendingSettlements pendingSettlements = new PendingSettlements(telemetry.store() + " at "
                    + telemetry.location());
            AttemptChain attempts = new AttemptChain(List.of(new TelemetryStep(recorder, listeners),
                    new CooldownStep(cooldowns),
                    new BudgetStep(budgets, store.ledger(), config, new CostEstimator(),
                            config.policies().maxReservationUsd(), listeners, cooldowns::cooling, pendingSettlements),
                    new InvokeStep(adapters, config.models(), redactor)));
            RequestChain pipeline = new RequestChain(List.of(
                    // A store that shares rate-limit buckets between processes keeps them; else they live here.
                    new RateLimitStep(new RateLimiter(config.policies().rateLimits(), settings.ticker(),
                            settings.clock(), store.rateLimits().orElse(null)), recorder, settings.ticker(), sleeper,
                            listeners),
                    new FallbackStep(config, attempts, recorder, settings.clock(), downgrading, cooldowns, listeners)));

            ExecutorService executor = settings.executor().orElse(null);
            boolean owns = executor == null;
            if (owns) {
                executor = Executors.newCachedThreadPool(daemonThreads());
            }
            ToolStatusProbe toolStatus = new ToolStatusProbe(config.tools(), adapters, settings.environment(), os,
                    settings.ticker(), redactor);
            return new RealLlmService(config, settings.clock(), settings.ticker(), adapters, strategy,
                    new HeuristicTokenEstimator(), pipeline, store, listeners, executor, owns, toolStatus, cooldowns,
                    pendingSettlements, proposed -> providers.strategies().require(proposed.policies().routing()
                            .strategy()).create(proposed.policies().routing()));
        } catch (RuntimeException | Error e) {
            adapters.values().forEach(ServiceAssembly::closeQuietly);
            if (settings.telemetryStore().isEmpty()) {
                // Ours, open or still opening: closed once open (a caller's own store is the caller's).
                StoreOpening.closeWhenOpen(opening);
            }
            if (e instanceof Error err) {
                throw err;
            }
            if (e instanceof LlmServiceException) {
                throw e;
            }
            // A provider's message may quote configuration values: masked, and the raw exception not attached.
            throw new LlmServiceException(ErrorCode.PROVIDER_MISSING, "could not build the service: "
                    + e.getClass().getName() + ": " + redactor.redact(String.valueOf(e.getMessage())));
        }
    }

    private static void closeQuietly(ToolAdapter adapter) {
        try {
            adapter.close();
        } catch (Exception ignored) {
            // already failing; the original error is the one to report
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "llm-service-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
