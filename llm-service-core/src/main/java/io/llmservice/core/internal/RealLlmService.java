package io.llmservice.core.internal;

import io.llmservice.BudgetStatus;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.RoutedCall;
import io.llmservice.StatsFormat;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.ToolStatus;
import io.llmservice.core.internal.telemetry.StatsWriter;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.core.internal.budget.BudgetWindow;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.pipeline.Listeners;
import io.llmservice.core.internal.pipeline.RequestChain;
import io.llmservice.core.internal.routing.TokenEstimator;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;
import io.llmservice.spi.RoutingStrategy;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.ToolAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Writer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link LlmService} implementation. Immutable after construction except for the set of
 * live calls (so {@link #close()} can cancel them) and the availability cache.
 */
final class RealLlmService implements LlmService {
    private static final Logger LOG = LoggerFactory.getLogger(RealLlmService.class);

    private final LlmConfig config;
    private final Clock clock;
    private final Map<String, ToolAdapter> adapters;
    private final AvailabilityCache availability;
    private final RoutingStrategy strategy;
    private final TokenEstimator estimator;
    private final RequestResolver resolver;
    private final RequestChain pipeline;
    private final TelemetryStore telemetry;
    private final Listeners listeners;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final Set<RealRoutedCall> live = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final StatsWriter statsWriter = new StatsWriter();
    private final ToolStatusProbe toolStatus;

    RealLlmService(LlmConfig config, Clock clock, Map<String, ToolAdapter> adapters, RoutingStrategy strategy,
                   TokenEstimator estimator, RequestChain pipeline, TelemetryStore telemetry, Listeners listeners,
                   ExecutorService executor, boolean ownsExecutor, ToolStatusProbe toolStatus) {
        this.config = config;
        this.clock = clock;
        this.adapters = Map.copyOf(adapters);
        this.availability = new AvailabilityCache(this.adapters, clock);
        this.strategy = strategy;
        this.estimator = estimator;
        this.resolver = new RequestResolver(config);
        this.pipeline = pipeline;
        this.telemetry = telemetry;
        this.listeners = listeners;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.toolStatus = toolStatus;
    }

    @Override
    public RoutedCall route(LlmRequest request) {
        failIfClosed();
        AgentDefinition agent = resolver.agentFor(request);
        long tokens = estimator.estimate(request.prompt());
        RoutePlan plan = strategy.plan(new Context(request, agent, tokens));
        String requestId = RequestIds.next();
        listeners.routed(requestId, plan);
        return new RealRoutedCall(this, requestId, request, agent, plan);
    }

    @Override
    public LlmConfig config() {
        return config;
    }

    @Override
    public List<ToolStatus> tools() {
        failIfClosed();
        return toolStatus.statuses(executor);
    }

    private void failIfClosed() {
        if (closed.get()) {
            throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the service is closed; build a new one");
        }
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        return telemetry.stats(query);
    }

    @Override
    public void writeStats(StatsReport report, StatsFormat format, Writer out) {
        statsWriter.write(report, format, out);
    }

    @Override
    public List<BudgetStatus> budgets() {
        java.time.Instant now = clock.instant();
        List<BudgetStatus> out = new ArrayList<>();
        for (BudgetDefinition b : config.policies().budgets()) {
            if (!b.type().equals(BudgetDefinition.DEFAULT_TYPE)) {
                continue;
            }
            BudgetWindow window = BudgetWindow.containing(b.period(), now, config.policies().timezone());
            BudgetStanding standing = telemetry.ledger().standing(b.name(), window.key(), now);
            out.add(new BudgetStatus(b.name(), b.scope(), window.label(), b.limitType(), b.limitUsd(),
                    standing.spentUsd(), standing.reservedUsd(), standing.expiryChargedUsd(), standing.expiryCharges()));
        }
        return out;
    }

    @Override
    public long deleteTelemetryOlderThan(java.time.Instant cutoff) {
        java.util.Objects.requireNonNull(cutoff, "cutoff");
        return telemetry.deleteOlderThan(cutoff);
    }

    /**
     * Cancels the running calls, closes the adapters and the executor, then the telemetry store. A store
     * that could not write everything fails the close, after everything else is closed: a lost record is an
     * error the caller sees. A second close while the first runs (a signal handler's, say) waits for it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            closeCallsAdaptersAndExecutor();
            closeTelemetry();
        } finally {
            closeDone.countDown();
        }
    }

    private void closeCallsAdaptersAndExecutor() {
        List<RealRoutedCall> running = new ArrayList<>(live);
        if (!running.isEmpty()) {
            LOG.info("closing: cancelling {} running call(s)", running.size());
        }
        running.forEach(RealRoutedCall::cancel);
        for (ToolAdapter adapter : adapters.values()) {
            try {
                adapter.close();
            } catch (Exception e) {
                LOG.warn("closing adapter {} failed: {}", adapter.getClass().getName(), e.toString());
            }
        }
        if (ownsExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void closeTelemetry() {
        try {
            telemetry.close();
        } catch (LlmServiceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "closing the telemetry store failed, so records"
                    + " may be lost: " + e, e);
        }
    }

    private void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closeDone.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    Clock clock() {
        return clock;
    }

    RequestChain pipeline() {
        return pipeline;
    }

    ExecutorService executor() {
        return executor;
    }

    TelemetryStore telemetry() {
        return telemetry;
    }

    void register(RealRoutedCall call) {
        live.add(call);
        if (closed.get()) {
            call.cancel();
        }
    }

    void unregister(RealRoutedCall call) {
        live.remove(call);
    }

    private final class Context implements RoutingContext {
        private final LlmRequest request;
        private final AgentDefinition agent;
        private final long tokens;
        /** The clock read once per route, on the first availability question (-1: not yet). */
        private long nowMillis = -1;
        /**
         * The last answer: a strategy asks about the same tool for each of its models in a row.
         * One immutable holder, so a strategy asking from several threads sees a whole answer.
         */
        private LastAvailability last;

        Context(LlmRequest request, AgentDefinition agent, long tokens) {
            this.request = request;
            this.agent = agent;
            this.tokens = tokens;
        }

        @Override
        public LlmRequest request() {
            return request;
        }

        @Override
        public AgentDefinition agent() {
            return agent;
        }

        @Override
        public LlmConfig config() {
            return config;
        }

        @Override
        public long estimatedPromptTokens() {
            return tokens;
        }

        @Override
        public Availability availability(String tool) {
            LastAvailability l = last;
            if (l != null && l.tool().equals(tool)) {
                return l.availability();
            }
            if (nowMillis < 0) {
                nowMillis = availability.now();
            }
            Availability a = availability.get(tool, nowMillis);
            last = new LastAvailability(tool, a);
            return a;
        }
    }

    private record LastAvailability(String tool, Availability availability) {
    }
}
