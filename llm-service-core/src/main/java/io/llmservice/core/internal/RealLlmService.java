package io.llmservice.core.internal;

import io.llmservice.BudgetStatus;
import io.llmservice.Cooldown;
import io.llmservice.core.internal.cooldown.Cooldowns;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.RoutedCall;
import io.llmservice.StatsFormat;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.Ticker;
import io.llmservice.ToolStatus;
import io.llmservice.WhatIfReport;
import io.llmservice.core.internal.whatif.WhatIfReplay;
import io.llmservice.core.internal.whatif.WhatIfWriter;
import io.llmservice.core.internal.telemetry.StatsWriter;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.core.internal.budget.BudgetWindow;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.pipeline.Listeners;
import io.llmservice.core.internal.pipeline.PendingSettlements;
import io.llmservice.core.internal.pipeline.RequestChain;
import io.llmservice.core.internal.routing.SessionPinning;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The {@link LlmService} implementation. Immutable after construction except for the set of
 * live calls (so {@link #close()} can cancel them) and the availability cache.
 */
final class RealLlmService implements LlmService {
    private static final Logger LOG = LoggerFactory.getLogger(RealLlmService.class);
    /**
     * How long {@link #close()} waits for cancelled calls to end (their processes killed, their attempts
     * recorded, their reservations released) before it closes the store regardless: above the process
     * runner's kill sequence (SIGTERM, 0.5 s, SIGKILL) and pipe drain (0.5 s).
     */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final LlmConfig config;
    private final Clock clock;
    private final Ticker ticker;
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
    /** Signalled when a call leaves {@link #live}, for {@link #close()} to wait on. */
    private final ReentrantLock liveLock = new ReentrantLock();
    private final Condition callEnded = liveLock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private final StatsWriter statsWriter = new StatsWriter();
    private final WhatIfWriter whatIfWriter = new WhatIfWriter();
    private final io.llmservice.core.internal.report.HtmlReportWriter reportWriter =
            new io.llmservice.core.internal.report.HtmlReportWriter(
                    io.llmservice.core.internal.report.HtmlReportWriter.standardSections());
    private final ToolStatusProbe toolStatus;
    private final Cooldowns cooldowns;
    /** Settles and releases that failed, still being retried; closed before the store. */
    private final PendingSettlements pendingSettlements;
    /** The routing strategy of a configuration, from the providers this service was built with (what-if). */
    private final Function<LlmConfig, RoutingStrategy> strategies;

    RealLlmService(LlmConfig config, Clock clock, Ticker ticker, Map<String, ToolAdapter> adapters,
                   RoutingStrategy strategy, TokenEstimator estimator, RequestChain pipeline, TelemetryStore telemetry,
                   Listeners listeners, ExecutorService executor, boolean ownsExecutor, ToolStatusProbe toolStatus,
                   Cooldowns cooldowns, PendingSettlements pendingSettlements,
                   Function<LlmConfig, RoutingStrategy> strategies) {
        this.pendingSettlements = pendingSettlements;
        this.strategies = strategies;
        this.config = config;
        this.clock = clock;
        this.ticker = ticker;
        this.adapters = Map.copyOf(adapters);
        this.availability = new AvailabilityCache(this.adapters, ticker);
        this.strategy = strategy;
        this.estimator = estimator;
        this.resolver = new RequestResolver(config);
        this.pipeline = pipeline;
        this.telemetry = telemetry;
        this.listeners = listeners;
        this.executor = executor;
        this.ownsExecutor = ownsExecutor;
        this.toolStatus = toolStatus;
        this.cooldowns = cooldowns;
    }

    @Override
    public RoutedCall route(LlmRequest request) {
        failIfClosed();
        AgentDefinition agent = resolver.agentFor(request);
        long tokens = estimator.estimate(request.prompt());
        // Sessions first (the owner of a continued session leads), then cooldowns exclude what may not run now.
        Context context = new Context(request, agent, tokens);
        RoutePlan plan = cooldowns.apply(SessionPinning.pin(strategy.plan(context), context));
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
        return toolStatus.statuses();
    }

    @Override
    public List<Cooldown> cooldowns() {
        failIfClosed();
        return cooldowns.list();
    }

    @Override
    public int resetCooldowns() {
        failIfClosed();
        return cooldowns.reset(null, null);
    }

    @Override
    public int resetCooldown(String tool) {
        java.util.Objects.requireNonNull(tool, "tool");
        failIfClosed();
        requireTool(tool);
        return cooldowns.reset(tool, null);
    }

    @Override
    public int resetCooldown(String tool, String model) {
        java.util.Objects.requireNonNull(tool, "tool");
        java.util.Objects.requireNonNull(model, "model");
        failIfClosed();
        requireTool(tool);
        if (!config.tools().get(tool).supports(model)) {
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "tool '" + tool + "' has no model '" + model
                    + "'; its models are " + config.tools().get(tool).models().keySet().stream().sorted().toList());
        }
        return cooldowns.reset(tool, model);
    }

    private void requireTool(String tool) {
        if (!config.tools().containsKey(tool)) {
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "no tool '" + tool + "' is configured; the tools"
                    + " are " + config.tools().keySet());
        }
    }

    private void failIfClosed() {
        if (closed.get()) {
            throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the service is closed; build a new one");
        }
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        failIfClosed();
        return telemetry.stats(query);
    }

    @Override
    public void writeStats(StatsReport report, StatsFormat format, Writer out) {
        statsWriter.write(report, format, out);
    }

    @Override
    public io.llmservice.SpendReport report(io.llmservice.ReportQuery query) {
        failIfClosed();
        java.time.Instant now = clock.instant();
        java.time.ZoneId budgetZone = config.policies().timezone();
        io.llmservice.core.internal.report.ReportWindow window;
        try {
            window = io.llmservice.core.internal.report.ReportWindow.of(query, now, budgetZone);
        } catch (IllegalArgumentException e) {
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, e.getMessage(), e);
        }
        io.llmservice.core.internal.report.SpendReportCollector collector =
                new io.llmservice.core.internal.report.SpendReportCollector(window, query.by(),
                        config.policies().budgets(), budgetZone);
        try {
            telemetry.scanRollups(collector.scanFrom(), window.to(), collector);
        } catch (UnsupportedOperationException e) {
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "the telemetry store cannot make a report: "
                    + e.getMessage() + "; use policies.telemetry.store memory, h2 or postgres", e);
        }
        return collector.report(now);
    }

    @Override
    public void writeReport(io.llmservice.SpendReport report, Writer out) {
        reportWriter.write(report, out);
    }

    @Override
    public List<BudgetStatus> budgets() {
        failIfClosed();
        java.time.Instant now = clock.instant();
        List<BudgetStatus> out = new ArrayList<>();
        for (BudgetDefinition b : config.policies().budgets()) {
            if (!b.type().equals(BudgetDefinition.DEFAULT_TYPE)) {
                continue;
            }
            BudgetWindow window = BudgetWindow.containing(b.period(), now, config.policies().timezone());
            BudgetStanding standing = telemetry.ledger().standing(b.name(), window.key(), now);
            out.add(BudgetStatus.builder().name(b.name()).scope(b.scope()).period(window.label())
                    .limitType(b.limitType()).limitUsd(b.limitUsd())
                    .spentUsd(standing.spentUsd()).reservedUsd(standing.reservedUsd())
                    .expiryChargedUsd(standing.expiryChargedUsd()).expiryCharges(standing.expiryCharges())
                    .build());
        }
        return out;
    }

    @Override
    public WhatIfReport whatIf(LlmConfig proposed, StatsQuery period) {
        java.util.Objects.requireNonNull(proposed, "proposed");
        java.util.Objects.requireNonNull(period, "period");
        failIfClosed();
        Instant from = period.since().orElse(Instant.EPOCH);
        Instant to = period.until().orElseGet(clock::instant);
        WhatIfReplay replay = new WhatIfReplay(proposed, config, strategies.apply(proposed), decision -> { });
        try {
            return replay.replay(from, to, sink -> telemetry.scanRecords(from, to, sink));
        } catch (UnsupportedOperationException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "what-if cannot replay this telemetry store ("
                    + config.policies().telemetry().store() + "): " + e.getMessage() + "; use the 'h2' or 'postgres'"
                    + " store, or the in-memory one of the same service");
        }
    }

    @Override
    public void writeReport(io.llmservice.SpendReport report, WhatIfReport whatIf, Writer out) {
        reportWriter.with(new io.llmservice.core.internal.report.WhatIfSection(whatIf)).write(report, out);
    }

    @Override
    public void writeWhatIf(WhatIfReport report, StatsFormat format, Writer out) {
        whatIfWriter.write(report, format, out);
    }

    @Override
    public long deleteTelemetryOlderThan(java.time.Instant cutoff) {
        java.util.Objects.requireNonNull(cutoff, "cutoff");
        failIfClosed();
        return telemetry.deleteOlderThan(cutoff);
    }

    /**
     * Cancels the running calls and waits up to {@link #CLOSE_GRACE} for them to end, so that their
     * {@code cancelled} attempts are recorded and their budget reservations released; then closes the
     * adapters and the executor, tries once more (for a few seconds at most) the settles and releases
     * that failed and are still being retried, and last closes the telemetry store. A store that could not write everything fails
     * the close, after everything else is closed: a lost record is an error the caller sees. A second close
     * while the first runs (a signal handler's, say) waits for it.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            closeCallsAdaptersAndExecutor();
            // Settles that failed in an outage get one last try while the store is still open.
            pendingSettlements.close();
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
        toolStatus.close();
        awaitCallsEnded();
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

    /**
     * Waits, in real time, until no call is running or {@link #CLOSE_GRACE} has passed. A call that began
     * after the cancelling above cancels itself on {@link #register}, so it is waited for too.
     */
    private void awaitCallsEnded() {
        long left = CLOSE_GRACE.toNanos();
        liveLock.lock();
        try {
            while (!live.isEmpty() && left > 0) {
                left = callEnded.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            liveLock.unlock();
        }
        int still = live.size();
        if (still > 0) {
            LOG.warn("closing: {} cancelled call(s) still running after {} s; the store closes now and their"
                    + " records may be lost", still, CLOSE_GRACE.toSeconds());
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

    Ticker ticker() {
        return ticker;
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

    /**
     * Counts a call as live. While {@link #close()} runs, the call is cancelled at once (and still
     * recorded, the store being open); once close has finished it is refused.
     *
     * @throws LlmServiceException {@code SERVICE_CLOSED} when the service is closed
     */
    void register(RealRoutedCall call) {
        if (closeDone.getCount() == 0) {
            throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the service is closed; build a new one");
        }
        live.add(call);
        if (closed.get()) {
            call.cancel();
        }
    }

    void unregister(RealRoutedCall call) {
        live.remove(call);
        liveLock.lock();
        try {
            callEnded.signalAll();
        } finally {
            liveLock.unlock();
        }
    }

    private final class Context implements RoutingContext {
        private final LlmRequest request;
        private final AgentDefinition agent;
        private final long tokens;
        /** Whether {@link #now} was read: once per route, on the first availability question. */
        private boolean read;
        private long now;

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
            if (!read) {
                now = availability.now();
                read = true;
            }
            return availability.get(tool, now);
        }
    }
}
