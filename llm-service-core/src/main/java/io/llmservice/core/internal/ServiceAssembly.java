package io.llmservice.core.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.pipeline.AttemptChain;
import io.llmservice.core.internal.pipeline.FallbackStep;
import io.llmservice.core.internal.pipeline.InvokeStep;
import io.llmservice.core.internal.pipeline.Listeners;
import io.llmservice.core.internal.pipeline.RequestChain;
import io.llmservice.core.internal.pipeline.TelemetryRecorder;
import io.llmservice.core.internal.pipeline.TelemetryStep;
import io.llmservice.core.internal.routing.HeuristicTokenEstimator;
import io.llmservice.core.internal.spi.Providers;
import io.llmservice.core.internal.telemetry.SecretRedactor;
import io.llmservice.spi.AdapterContext;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wires a validated configuration and the discovered providers into a running service: one
 * adapter per tool, the routing strategy, the telemetry store, and the pipeline
 * (request chain: fallback; attempt chain: telemetry, invoke).
 */
final class ServiceAssembly {

    /** The providers a service is built from. */
    record ProviderSet(Providers<ToolAdapterProvider> adapters, Providers<RoutingStrategyProvider> strategies,
                       Providers<TelemetryStoreProvider> stores) {
    }

    private ServiceAssembly() {
    }

    static LlmService assemble(LlmConfig config, LlmServiceSettings settings, ProviderSet providers, OsFamily os) {
        AdapterContext adapterContext = new AdapterContext(settings.clock(), settings.environment(), os);
        Map<String, ToolAdapter> adapters = new LinkedHashMap<>();
        try {
            for (ToolDefinition tool : config.tools().values()) {
                adapters.put(tool.name(), providers.adapters().require(tool.type()).create(tool, adapterContext));
            }
            RoutingStrategy strategy = providers.strategies().require(config.policies().routing().strategy())
                    .create(config.policies().routing());
            TelemetryStore store = settings.telemetryStore().orElseGet(() -> providers.stores()
                    .require(config.policies().telemetry().store())
                    .open(config.policies().telemetry(), settings.clock()));

            Listeners listeners = new Listeners(settings.listeners());
            List<String> secrets = new ArrayList<>();
            config.tools().values().forEach(t -> secrets.addAll(t.env().values()));
            TelemetryRecorder recorder = new TelemetryRecorder(store, config.policies().telemetry().privacy(),
                    new SecretRedactor(secrets));
            AttemptChain attempts = new AttemptChain(List.of(new TelemetryStep(recorder, listeners),
                    new InvokeStep(adapters)));
            RequestChain pipeline = new RequestChain(List.of(
                    new FallbackStep(config, attempts, recorder, settings.clock())));

            ExecutorService executor = settings.executor().orElse(null);
            boolean owns = executor == null;
            if (owns) {
                executor = Executors.newCachedThreadPool(daemonThreads());
            }
            return new RealLlmService(config, settings.clock(), adapters, strategy, new HeuristicTokenEstimator(),
                    pipeline, store, listeners, executor, owns);
        } catch (RuntimeException e) {
            adapters.values().forEach(ServiceAssembly::closeQuietly);
            if (e instanceof LlmServiceException) {
                throw e;
            }
            throw new LlmServiceException(ErrorCode.PROVIDER_MISSING, "could not build the service: " + e, e);
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
