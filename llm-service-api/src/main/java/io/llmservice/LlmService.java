package io.llmservice;

import io.llmservice.config.LlmConfig;
import io.llmservice.spi.LlmServiceFactory;
import io.llmservice.spi.LlmServiceSettings;
import io.llmservice.spi.TelemetryStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * The entry point: routes {@link LlmRequest}s to LLM tools, runs them, enforces budgets and
 * rate limits and records every invocation.
 *
 * <pre>{@code
 * try (LlmService llm = LlmService.fromConfig(Path.of("llm-service.yaml"))) {
 *     RoutedCall call = llm.route(LlmRequest.builder("Review this diff ...")
 *             .agent("code-reviewer")
 *             .build());
 *     LlmResponse response = call.execute();
 *     System.out.println(response.text());
 * }
 * }</pre>
 *
 * <p>Lifecycle and threading: an instance is immutable once built, thread-safe, and meant to be
 * shared by the whole application. {@link #close()} kills tool processes still running, flushes
 * telemetry and releases resources; after it, {@link #route(LlmRequest)} throws
 * {@link LlmServiceException} with {@link ErrorCode#SERVICE_CLOSED}.
 */
public interface LlmService extends AutoCloseable {

    /** Builds a service from a YAML file or a directory of split files, with default settings. */
    static LlmService fromConfig(Path path) {
        return builder().config(path).build();
    }

    /** A builder for a service with a custom clock, listeners, telemetry store, environment, ... */
    static Builder builder() {
        return new Builder();
    }

    /**
     * Routes a request: picks the candidates without running anything (no I/O beyond checking
     * which binaries exist and reading the cooldowns); a tool/model pair that is cooling down is
     * excluded, its reason giving the time left.
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} for an unknown agent,
     *                             tool or model, or an incompatible override
     */
    RoutedCall route(LlmRequest request);

    /** The validated configuration in effect. */
    LlmConfig config();

    /**
     * Each configured tool, in configuration order: whether it can run here, the binary it would
     * run, and the version it reports. Looks afresh (the cache {@link #route} uses is bypassed). A
     * command-line tool's binary is found the way a call finds it, and its {@code version_args} are
     * run through the same process runner with the same child environment (the minimal one plus
     * the tool's {@code env:}, never the whole environment of this process), stdin empty, for at
     * most 5 seconds; the probes of several tools run concurrently.
     *
     * <pre>{@code
     * llm.tools().stream().filter(t -> !t.available())
     *         .forEach(t -> System.err.println(t.name() + " is not installed: " + t.detail()));
     * }</pre>
     *
     * @throws LlmServiceException with {@link ErrorCode#SERVICE_CLOSED} after {@link #close()}
     */
    java.util.List<ToolStatus> tools();

    /**
     * The tool/model pairs that routing skips for now ({@code policies.cooldown}), with the time
     * left, read from the telemetry store (shared by every process using it) or, for a store that
     * keeps none, from this service. Pairs cooled down under another configuration or other
     * credentials of a tool are not listed: they do not apply here.
     *
     * <pre>{@code
     * llm.cooldowns().forEach(c -> System.out.println(c.tool() + "/" + c.model() + ": " + c.describe()));
     * }</pre>
     *
     * @throws LlmServiceException with {@link ErrorCode#SERVICE_CLOSED} after {@link #close()}, or
     *         {@link ErrorCode#TELEMETRY_STORE} when the store cannot be read
     */
    java.util.List<Cooldown> cooldowns();

    /**
     * Ends every cooldown and forgets every failure count, for every process sharing the store.
     * Returns how many entries went.
     *
     * <pre>{@code
     * int cleared = llm.resetCooldowns();
     * }</pre>
     */
    int resetCooldowns();

    /**
     * Ends the cooldowns of every model of {@code tool} and forgets their failure counts.
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} for a tool not configured
     */
    int resetCooldown(String tool);

    /**
     * Ends the cooldown of one tool/model pair and forgets its failure count.
     *
     * <pre>{@code
     * llm.resetCooldown("codex", "gpt-5");   // after fixing the quota, run it again at once
     * }</pre>
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} for a tool or model not configured
     */
    int resetCooldown(String tool, String model);

    /**
     * Totals from the telemetry store per period and group. Use
     * {@code config().policies().timezone()} as the query's zone to cut periods the way budgets do.
     *
     * <pre>{@code
     * StatsReport r = llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.MODEL)
     *         .zone(llm.config().policies().timezone()).build());
     * }</pre>
     */
    StatsReport stats(StatsQuery query);

    /**
     * Writes a report as CSV (RFC 4180, header row) or JSON.
     *
     * @throws java.io.UncheckedIOException when writing fails
     */
    void writeStats(StatsReport report, StatsFormat format, java.io.Writer out);

    /**
     * The spend report of a window: spend per day, budget burn-downs, tokens by model, latency by tool
     * and the outcome mix by agent, streamed from the telemetry store's rollups (memory stays bounded
     * by days × groups, not by calls). Its figures equal {@link #stats} for the same window and zone.
     *
     * <pre>{@code
     * SpendReport month = llm.report(ReportQuery.builder().period(StatsPeriod.MONTH).by(StatsDimension.TEAM).build());
     * try (Writer out = Files.newBufferedWriter(Path.of("spend.html"))) {
     *     llm.writeReport(month, out);
     * }
     * }</pre>
     *
     * @throws LlmServiceException with {@link ErrorCode#TELEMETRY_STORE} when the store cannot be read, or
     *         {@link ErrorCode#INVALID_REQUEST} when the telemetry store keeps no rollups to report from
     */
    SpendReport report(ReportQuery query);

    /**
     * Writes a report as one self-contained HTML file: inline CSS and SVG charts, no script and no
     * network access when opened, a table under each chart with the same numbers.
     *
     * @throws java.io.UncheckedIOException when writing fails
     */
    void writeReport(SpendReport report, java.io.Writer out);

    /**
     * The current period's standing of every budget of type {@code limit}: limit, settled spend and
     * live reservations, read from the telemetry store's ledger. Does not reserve anything.
     */
    java.util.List<BudgetStatus> budgets();

    /**
     * Deletes invocation records that started before {@code cutoff} from the telemetry store (and
     * settled or dead budget reservations of that age; a period's settled spend is kept, so budgets
     * are not given room back). Returns how many records were deleted.
     *
     * <pre>{@code
     * long deleted = llm.deleteTelemetryOlderThan(Instant.now().minus(Duration.ofDays(90)));
     * }</pre>
     */
    long deleteTelemetryOlderThan(java.time.Instant cutoff);

    /**
     * Replays the recorded requests of {@code period} under {@code proposed} without running any tool:
     * re-decides each request's tool and model with the proposed routing strategy and agents, from what
     * its records kept ({@link io.llmservice.spi.RouteInput}: the prompt's token estimate, the complexity
     * hint, an explicit tool or model), re-prices the tokens its answering attempt really used at the
     * proposed model's prices, and applies the proposed budgets in time order. Only the period's
     * {@code since}/{@code until} are used (its buckets and grouping are not); the default window is the
     * whole log up to now. The report lists its assumptions.
     *
     * <pre>{@code
     * LlmConfig proposed = LlmService.builder().config(Path.of("proposed.yaml")).loadConfig();
     * WhatIfReport r = llm.whatIf(proposed, StatsQuery.builder().since(Instant.parse("2026-11-01T00:00:00Z")).build());
     * }</pre>
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} when records of the period lack
     *         their route input (logged by a version that did not keep it): the message says how many and
     *         from when the log has it; {@link ErrorCode#TELEMETRY_STORE} when the store cannot be read
     *         or cannot scan its log
     */
    WhatIfReport whatIf(LlmConfig proposed, StatsQuery period);

    /**
     * Writes a what-if report as CSV (RFC 4180, header row: one row per agent, the total, one per move)
     * or JSON (the whole report).
     *
     * <pre>{@code
     * llm.writeWhatIf(report, StatsFormat.JSON, new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
     * }</pre>
     *
     * @throws java.io.UncheckedIOException when writing fails
     */
    void writeWhatIf(WhatIfReport report, StatsFormat format, java.io.Writer out);

    /**
     * Writes a spend report as {@link #writeReport(SpendReport, java.io.Writer)} does, with a "What if"
     * section after the others: recorded and proposed cost per agent, the moves, the proposed budgets and
     * the assumptions of {@code whatIf}.
     *
     * <pre>{@code
     * llm.writeReport(llm.report(query), llm.whatIf(proposed, period), writer);
     * }</pre>
     *
     * @throws java.io.UncheckedIOException when writing fails
     */
    void writeReport(SpendReport report, WhatIfReport whatIf, java.io.Writer out);

    /**
     * Kills live tool processes, waits (up to 5 s) until their calls have recorded their {@code cancelled}
     * attempts and released their budget reservations, flushes telemetry, releases resources. Idempotent; a
     * call while another thread's close runs returns when that one is done.
     *
     * @throws LlmServiceException with {@link ErrorCode#TELEMETRY_STORE} when telemetry records could not be
     *         written (disk full, store gone): everything is closed all the same, and the message names the
     *         store and how many records were lost. Only the first close reports it.
     */
    @Override
    void close();

    /**
     * Builds {@link LlmService}s. Not thread-safe; build once and share the service.
     *
     * <pre>{@code
     * LlmService llm = LlmService.builder()
     *         .config(Path.of("llm-service.yaml"))
     *         .clock(Clock.systemUTC())
     *         .listener(myListener)
     *         .build();
     * }</pre>
     */
    final class Builder {
        private ConfigSource config;
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private final List<LlmServiceListener> listeners = new ArrayList<>();
        private TelemetryStore telemetryStore;
        private ClassLoader classLoader;
        private Map<String, String> environment;
        private ExecutorService executor;

        Builder() {
        }

        /** A YAML file or a directory of split files. */
        public Builder config(Path path) {
            this.config = ConfigSource.path(path);
            return this;
        }

        public Builder config(ConfigSource source) {
            this.config = Objects.requireNonNull(source, "source");
            return this;
        }

        /** The clock of timestamps and budget periods; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of intervals (rate-limit refill, deadlines, latency); default {@link Ticker#system()}. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public Builder listener(LlmServiceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Uses this store instead of the one {@code policies.telemetry} selects; the service closes it. */
        public Builder telemetryStore(TelemetryStore store) {
            this.telemetryStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where SPI providers are looked up; default: the thread's context class loader. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
            return this;
        }

        /**
         * The environment {@code ${VAR}} reads and tool processes draw their declared variables
         * from, and whose {@code HOME} / {@code XDG_*} variables place the default telemetry store
         * ({@link io.llmservice.config.DefaultLocations}); default: {@link System#getenv()}.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** The executor of {@link RoutedCall#executeAsync()}; the caller keeps ownership of it. */
        public Builder executor(ExecutorService executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Loads and validates the configuration exactly as {@link #build()} does (the same
         * {@code ${VAR}} expansion from {@link #environment}, the same providers from
         * {@link #classLoader}), without building a service: no store is opened, no tool is looked
         * for. For {@link LlmService#whatIf} and tools that check a configuration.
         *
         * <pre>{@code
         * LlmConfig proposed = LlmService.builder().config(Path.of("proposed.yaml")).loadConfig();
         * }</pre>
         *
         * @throws ConfigException     listing every problem of the configuration ({@code file:line:column})
         * @throws LlmServiceException when no implementation is on the class path
         */
        public LlmConfig loadConfig() {
            if (config == null) {
                throw new IllegalStateException("no configuration: call config(Path) or config(ConfigSource) first");
            }
            ClassLoader loader = classLoader != null ? classLoader : defaultClassLoader();
            LlmServiceSettings settings = new LlmServiceSettings(config, clock, ticker, listeners,
                    Optional.ofNullable(telemetryStore), loader,
                    environment != null ? environment : System.getenv(), Optional.ofNullable(executor));
            return factory(loader).loadConfig(settings);
        }

        /**
         * Loads and validates the configuration and builds the service.
         *
         * @throws ConfigException     listing every problem of the configuration
         * @throws LlmServiceException when no implementation is on the class path
         */
        public LlmService build() {
            if (config == null) {
                throw new IllegalStateException("no configuration: call config(Path) or config(ConfigSource) first");
            }
            ClassLoader loader = classLoader != null ? classLoader : defaultClassLoader();
            LlmServiceSettings settings = new LlmServiceSettings(config, clock, ticker, listeners,
                    Optional.ofNullable(telemetryStore), loader,
                    environment != null ? environment : System.getenv(), Optional.ofNullable(executor));
            return factory(loader).create(settings);
        }

        /** The thread's context class loader, else the API's own. */
        static ClassLoader defaultClassLoader() {
            return Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                    .orElse(LlmService.class.getClassLoader());
        }

        static LlmServiceFactory factory(ClassLoader loader) {
            List<LlmServiceFactory> found = new ArrayList<>();
            try {
                ServiceLoader.load(LlmServiceFactory.class, loader).forEach(found::add);
            } catch (ServiceConfigurationError e) {
                throw new LlmServiceException(ErrorCode.PROVIDER_CONFLICT,
                        "could not load the llm-service implementation: " + e.getMessage(), e);
            }
            if (found.isEmpty()) {
                throw new LlmServiceException(ErrorCode.PROVIDER_MISSING,
                        "no llm-service implementation found: add io.llmservice:llm-service-core to the class path");
            }
            if (found.size() > 1) {
                throw new LlmServiceException(ErrorCode.PROVIDER_CONFLICT, "several llm-service implementations found: "
                        + found.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "))
                        + "; keep exactly one on the class path");
            }
            return found.get(0);
        }
    }
}
