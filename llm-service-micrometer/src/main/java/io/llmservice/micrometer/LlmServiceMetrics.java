package io.llmservice.micrometer;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.Candidate;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.RequestInfo;
import io.llmservice.Ticker;
import io.llmservice.Usage;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes what an {@link LlmService} does to a Micrometer {@link MeterRegistry}: token usage and
 * call duration named after the OpenTelemetry GenAI semantic conventions
 * ({@value #TOKEN_USAGE}, {@value #OPERATION_DURATION}), and under the {@code llm_service.} prefix the
 * cost in USD, attempts by outcome, fallbacks, budget refusals, each budget's headroom and limit,
 * rate-limit waits and requests refused before any attempt. It is a {@link LlmServiceListener}:
 * register it on the builder, then bind it to the service for the budget gauges and the GenAI meters.
 *
 * <pre>{@code
 * MeterRegistry registry = new SimpleMeterRegistry();   // or the application's, e.g. Prometheus
 * try (LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry).build();
 *      LlmService llm = LlmService.builder()
 *              .config(Path.of("llm-service.yaml"))
 *              .listener(metrics)
 *              .build()) {
 *     metrics.bindTo(llm);   // budget gauges; the models' providers for gen_ai.provider.name
 *     llm.route(LlmRequest.builder("Review this diff").agent("code-reviewer").build()).execute();
 * }
 * }</pre>
 *
 * <p><b>Tags.</b> {@code agent}, {@code team} ({@code none} for an agent without one), {@code tool} and
 * {@code model} (the catalogue id); the GenAI meters use the conventions' {@code gen_ai.request.model}
 * for the model, plus {@code gen_ai.operation.name} ({@value #OPERATION_NAME}), {@code gen_ai.provider.name}
 * (the model's {@code provider:} in the configuration of the service {@link #bindTo bound}) and
 * {@code error.type} (the failure's exception class; {@code none} on success, where the conventions set
 * none, because Micrometer's Prometheus registry before 1.13 refuses a meter whose series have
 * different tag keys). The GenAI meters need the provider: an attempt that ends before
 * {@link #bindTo} is counted under the {@code llm_service.} meters only, and a warning says so once.
 * Never prompt or answer text, request ids or labels: they would leak what was asked and make a time
 * series per request.
 *
 * <p><b>Tokens.</b> {@value #TOKEN_USAGE} records {@code gen_ai.token.type} {@code input} and
 * {@code output} as the conventions define them: {@code input} counts every input token, the prompt
 * cache's reads and writes included (the known ones: a tool that reports no cache counts adds none).
 * {@value #CACHE_TOKENS} counts the cache's share of it apart, {@code type} {@code cache_read} or
 * {@code cache_write}. A count the tool did not report is not recorded (unknown is not zero).
 *
 * <p><b>Histograms.</b> Durations and token counts publish buckets at the conventions' advisory
 * boundaries (durations extended to 655.36 s, as an agent run can take minutes), so a backend computes
 * percentiles across instances (Prometheus {@code histogram_quantile}).
 *
 * <p><b>Budgets.</b> After {@link #bindTo}, each budget of type {@code limit} has the gauges
 * {@value #BUDGET_HEADROOM} (limit − spent − reserved in the current period, negative when spend ran
 * past the limit) and {@value #BUDGET_LIMIT}, from {@link LlmService#budgets()}, read at most once per
 * {@link Builder#budgetRefresh(Duration) budgetRefresh} however often the registry is scraped; NaN while
 * the store cannot be read or after the service closed.
 *
 * <p>Thread-safe: the service calls it from every thread serving a request. One instance per service.
 * When a service replaces another on the same registry (a configuration reload), the new instance's
 * {@link #bindTo} takes the budget gauges over; {@link #close()} the old one with its service.
 */
public final class LlmServiceMetrics implements LlmServiceListener, AutoCloseable {
    /** Histogram of tokens per attempt and token type (OpenTelemetry GenAI). */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Timer of each attempt whose tool ran (success, failed, timeout), in seconds (OpenTelemetry GenAI). */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";
    /** Counter of the cost in USD of the attempts that reported or were priced with one. */
    public static final String COST = "llm_service.cost";
    /** Counter of the input tokens read from or written to the prompt cache, tagged with the {@code type}. */
    public static final String CACHE_TOKENS = "llm_service.cache.tokens";
    /** Counter of attempts, tagged with their {@code outcome}. */
    public static final String ATTEMPTS = "llm_service.attempts";
    /** Counter of moves to the next candidate after an attempt failed. */
    public static final String FALLBACKS = "llm_service.fallbacks";
    /** Counter of attempts a budget refused, tagged with the {@code budget} and the {@code action} taken. */
    public static final String BUDGET_REFUSALS = "llm_service.budget.refusals";
    /** Gauge of each budget's room left in USD: limit − spent − reserved. */
    public static final String BUDGET_HEADROOM = "llm_service.budget.headroom";
    /** Gauge of each budget's limit in USD. */
    public static final String BUDGET_LIMIT = "llm_service.budget.limit";
    /** Timer of the waits for rate limits with {@code on_limit: wait}, tagged with the limit's {@code scope}. */
    public static final String RATE_LIMIT_WAITS = "llm_service.rate_limit.waits";
    /** Counter of requests refused before any attempt, tagged with the {@code outcome}. */
    public static final String REQUESTS_REFUSED = "llm_service.requests.refused";
    /** The {@code gen_ai.operation.name}: a coding-agent CLI run is an agent invocation. */
    public static final String OPERATION_NAME = "invoke_agent";
    /** The tag value of a tag that does not apply (no team, no error). */
    public static final String NONE = "none";

    /** Advisory bucket boundaries of the conventions for token usage. */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    /** The conventions' advisory duration boundaries (to 81.92 s), extended for agent runs of minutes. */
    private static final Duration[] DURATION_BUCKETS = durations(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28,
            2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68, 655.36);

    private static final Logger LOG = LoggerFactory.getLogger(LlmServiceMetrics.class);

    private final MeterRegistry registry;
    private final Ticker ticker;
    private final Duration budgetRefresh;
    private final AtomicReference<LlmService> bound = new AtomicReference<>();
    private final List<Meter> gauges = new CopyOnWriteArrayList<>();
    /** The configuration of the service bound, for the providers; null until {@link #bindTo}. */
    private volatile LlmConfig config;
    private final AtomicBoolean unboundWarned = new AtomicBoolean();

    private LlmServiceMetrics(Builder b) {
        this.registry = b.registry;
        this.ticker = b.ticker;
        this.budgetRefresh = b.budgetRefresh;
    }

    /** A builder publishing to {@code registry}. */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Registers the budget gauges of {@code llm}, in place of any of the same budget already in the
     * registry, and takes its configuration: the models' providers for {@code gen_ai.provider.name}. Call
     * once, right after building the service with this listener; the gauges read the service until it is
     * closed.
     *
     * @throws IllegalStateException when already bound to a service
     */
    public void bindTo(LlmService llm) {
        Objects.requireNonNull(llm, "llm");
        if (!bound.compareAndSet(null, llm)) {
            throw new IllegalStateException("these metrics are already bound to a service; build one"
                    + " LlmServiceMetrics per LlmService");
        }
        config = llm.config();
        BudgetStandings standings = new BudgetStandings(llm::budgets, ticker, budgetRefresh);
        for (BudgetDefinition b : config.policies().budgets()) {
            if (!b.type().equals(BudgetDefinition.DEFAULT_TYPE)) {
                continue;   // LlmService.budgets() reports only the built-in limit budgets
            }
            Tags tags = Tags.of("budget", b.name(), "period", b.period().yamlName(),
                    "limit_type", b.limitType().name().toLowerCase(java.util.Locale.ROOT));
            gauges.add(register(Gauge.builder(BUDGET_HEADROOM, standings, s -> s.headroom(b.name())).tags(tags)
                    .baseUnit("usd").description("budget room left in the current period: limit - spent - reserved")
                    .strongReference(true)));
            gauges.add(register(Gauge.builder(BUDGET_LIMIT, standings, s -> s.limit(b.name())).tags(tags)
                    .baseUnit("usd").description("budget limit of the period").strongReference(true)));
        }
    }

    /**
     * Registers {@code gauge} in place of a gauge of the same name and tags already there. A registry
     * hands back the meter it already holds for an id, so after a configuration reload (a new service,
     * its new metrics bound, the old ones closed after) the new gauges would otherwise be the old ones,
     * reading the old service, and the old metrics' close would then leave the new service with none.
     */
    private Gauge register(Gauge.Builder<BudgetStandings> gauge) {
        // the first register returns the gauge the registry holds for this id, maybe another instance's
        registry.remove(gauge.register(registry));
        return gauge.register(registry);
    }

    /**
     * Removes this instance's budget gauges from the registry (the counters and timers stay: their totals
     * are history), unless another instance bound since has replaced them. Call it when the service is
     * closed for good or replaced, say after a configuration reload, so that the registry no longer
     * holds the old service. Idempotent.
     */
    @Override
    public void close() {
        for (Meter gauge : gauges) {
            Meter current = registry.find(gauge.getId().getName()).tags(gauge.getId().getTags()).meter();
            if (current == gauge) {
                registry.remove(gauge);
            }
        }
        gauges.clear();
    }

    @Override
    public void onAttempt(RequestInfo request, Attempt attempt) {
        Tags who = who(request);
        Tags candidate = who.and("tool", attempt.tool(), "model", attempt.model());
        Counter.builder(ATTEMPTS).description("attempts by outcome")
                .tags(candidate).tag("outcome", attempt.outcome().storedName()).register(registry).increment();
        attempt.costUsd().ifPresent(usd -> Counter.builder(COST).baseUnit("usd")
                .description("cost of the attempts in USD").tags(candidate).register(registry)
                .increment(usd.doubleValue()));
        Usage u = attempt.usage();
        cacheTokens(candidate, "cache_read", u.cacheReadTokens());
        cacheTokens(candidate, "cache_write", u.cacheWriteTokens());
        LlmConfig c = config;
        if (c == null) {
            if (unboundWarned.compareAndSet(false, true)) {
                LOG.warn("an attempt ended before bindTo(service) gave these metrics the models' providers: its"
                        + " {} and {} are not recorded; call bindTo right after building the service",
                        TOKEN_USAGE, OPERATION_DURATION);
            }
            return;
        }
        Tags genAi = who.and("tool", attempt.tool(), "gen_ai.operation.name", OPERATION_NAME,
                "gen_ai.provider.name", provider(c, attempt), "gen_ai.request.model", attempt.model());
        if (ran(attempt.outcome())) {
            Timer.builder(OPERATION_DURATION).description("duration of each tool run")
                    .tags(genAi).tag("error.type", attempt.failure().map(f -> f.getClass().getName()).orElse(NONE))
                    .serviceLevelObjectives(DURATION_BUCKETS).register(registry).record(attempt.latency());
        }
        if (u.inputTokens().isPresent()) {
            // the conventions' input counts every input token; Usage keeps the cache's apart
            tokens(genAi, "input", u.inputTokens().getAsLong() + u.cacheReadTokens().orElse(0)
                    + u.cacheWriteTokens().orElse(0));
        }
        u.outputTokens().ifPresent(n -> tokens(genAi, "output", n));
    }

    /**
     * Whether the tool ran: a budget-refused attempt ran nothing, a tool not installed never started,
     * and a cancelled one was stopped (or never started) by the caller, so its time is the caller's.
     */
    private static boolean ran(Outcome outcome) {
        return outcome == Outcome.SUCCESS || outcome == Outcome.FAILED || outcome == Outcome.TIMEOUT;
    }

    private void tokens(Tags genAi, String type, long count) {
        DistributionSummary.builder(TOKEN_USAGE).baseUnit("tokens").description("tokens per attempt")
                .tags(genAi).tag("gen_ai.token.type", type).serviceLevelObjectives(TOKEN_BUCKETS)
                .register(registry).record(count);
    }

    private void cacheTokens(Tags candidate, String type, OptionalLong count) {
        if (count.isPresent()) {
            Counter.builder(CACHE_TOKENS).baseUnit("tokens")
                    .description("input tokens read from or written to the prompt cache, part of the input")
                    .tags(candidate).tag("type", type).register(registry).increment(count.getAsLong());
        }
    }

    @Override
    public void onFallback(RequestInfo request, Attempt failed, Candidate next) {
        Counter.builder(FALLBACKS).description("moves to the next candidate after a failed attempt")
                .tags(who(request)).tags("tool", failed.tool(), "model", failed.model(),
                        "outcome", failed.outcome().storedName(), "next_tool", next.tool(), "next_model", next.model())
                .register(registry).increment();
    }

    @Override
    public void onBudgetRefused(RequestInfo request, String tool, String model, BudgetExceededException refusal,
                                boolean downgraded) {
        Counter.builder(BUDGET_REFUSALS).description("attempts a budget refused")
                .tags(who(request)).tags("tool", tool, "model", model, "budget", refusal.policy(),
                        "action", downgraded ? "downgrade" : "block")
                .register(registry).increment();
    }

    @Override
    public void onRateLimitWait(RequestInfo request, String scope, Duration wait) {
        Timer.builder(RATE_LIMIT_WAITS).description("waits for a rate limit with on_limit: wait")
                .tags(who(request)).tag("scope", scope).register(registry).record(wait);
    }

    @Override
    public void onRequestRefused(RequestInfo request, Outcome outcome, LlmServiceException reason) {
        Counter.builder(REQUESTS_REFUSED).description("requests refused before any attempt")
                .tags(who(request)).tag("outcome", outcome.storedName()).register(registry).increment();
    }

    private static Tags who(RequestInfo request) {
        return Tags.of("agent", request.agent(), "team", request.team().orElse(NONE));
    }

    /** The model's {@code provider:} in the configuration bound; the tool's name for a model it does not hold. */
    private static String provider(LlmConfig config, Attempt attempt) {
        ModelDefinition m = config.models().get(attempt.model());
        return m == null ? attempt.tool() : m.provider();
    }

    private static Duration[] durations(double... seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return out;
    }

    /**
     * Builds {@link LlmServiceMetrics}. Not thread-safe.
     *
     * <pre>{@code
     * LlmServiceMetrics metrics = LlmServiceMetrics.builder(registry)
     *         .budgetRefresh(Duration.ofMinutes(1))   // budget gauges read the store at most once a minute
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final MeterRegistry registry;
        private Duration budgetRefresh = Duration.ofSeconds(15);
        private Ticker ticker = Ticker.system();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * How long the budgets' standings read for the gauges are reused; default 15 s. Zero reads them at
         * every gauge read (for tests).
         *
         * @throws IllegalArgumentException when negative, naming the value
         */
        public Builder budgetRefresh(Duration budgetRefresh) {
            Objects.requireNonNull(budgetRefresh, "budgetRefresh");
            if (budgetRefresh.isNegative()) {
                throw new IllegalArgumentException("budgetRefresh must be zero or positive, was " + budgetRefresh);
            }
            this.budgetRefresh = budgetRefresh;
            return this;
        }

        /** The source of intervals for {@link #budgetRefresh}; default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public LlmServiceMetrics build() {
            return new LlmServiceMetrics(this);
        }
    }
}
