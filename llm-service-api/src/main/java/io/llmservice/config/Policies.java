package io.llmservice.config;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code policies:} section.
 *
 * <pre>{@code
 * Policies p = llm.config().policies();
 * ZoneId zone = p.timezone();                        // budget periods are cut in this zone
 * String agent = p.defaultAgent().orElse("(none)");
 * BigDecimal cap = p.maxReservationUsd();
 *
 * Policies strict = Policies.builder()
 *         .telemetry(TelemetrySettings.builder().store("memory").build())
 *         .timezone(ZoneId.of("Europe/Berlin"))
 *         .cooldown(CooldownPolicy.off())
 *         .build();
 * Policies capped = strict.toBuilder().maxReservationUsd(new BigDecimal("0.50")).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Build one with {@link #builder()}
 * (the canonical constructor stays public, but it breaks whenever a component is added).
 *
 * @param routing      routing strategy and its knobs
 * @param budgets      budgets, in the order written
 * @param rateLimits   rate limits, in the order written
 * @param telemetry    telemetry store settings
 * @param timezone     the zone budget periods are counted in
 * @param defaultAgent the agent used when a request names none
 * @param maxReservationUsd the most a single request may reserve in a budget (its estimate is capped
 *                          here), &gt; 0; default {@value #DEFAULT_MAX_RESERVATION}
 * @param cooldown     when a failing tool/model is skipped ({@code policies.cooldown}); default
 *                     {@link CooldownPolicy#defaults()}
 */
public record Policies(RoutingPolicy routing, List<BudgetDefinition> budgets, List<RateLimitDefinition> rateLimits,
                       TelemetrySettings telemetry, ZoneId timezone, Optional<String> defaultAgent,
                       BigDecimal maxReservationUsd, CooldownPolicy cooldown) {
    /** Default of {@code policies.max_reservation_usd}, in US dollars. */
    public static final String DEFAULT_MAX_RESERVATION = "5.00";

    public Policies {
        Objects.requireNonNull(routing, "routing");
        budgets = List.copyOf(budgets);
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(defaultAgent, "defaultAgent");
        Objects.requireNonNull(maxReservationUsd, "maxReservationUsd");
        if (maxReservationUsd.signum() <= 0) {
            throw new IllegalArgumentException("max_reservation_usd must be > 0, was " + maxReservationUsd);
        }
        Objects.requireNonNull(cooldown, "cooldown");
    }

    /**
     * With the default cooldown policy ({@link CooldownPolicy#defaults()}): the components that
     * existed before {@code cooldown:}, kept so that callers of that constructor still compile.
     *
     * @deprecated use {@link #builder()}, which does not break when a component is added
     */
    @Deprecated
    public Policies(RoutingPolicy routing, List<BudgetDefinition> budgets, List<RateLimitDefinition> rateLimits,
                    TelemetrySettings telemetry, ZoneId timezone, Optional<String> defaultAgent,
                    BigDecimal maxReservationUsd) {
        this(routing, budgets, rateLimits, telemetry, timezone, defaultAgent, maxReservationUsd,
                CooldownPolicy.defaults());
    }

    /** A builder with the defaults set; see {@link Builder} for the required part and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these policies, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().routing(routing).budgets(budgets).rateLimits(rateLimits).telemetry(telemetry)
                .timezone(timezone).defaultAgent(defaultAgent).maxReservationUsd(maxReservationUsd).cooldown(cooldown);
    }

    /**
     * Builds {@link Policies}. Only {@code telemetry} is required (its YAML default depends on the
     * environment: the store modules present and the data directory). Defaults: routing
     * {@link RoutingPolicy#defaults()}, no budgets, no rate limits, timezone UTC, no default agent,
     * {@link #DEFAULT_MAX_RESERVATION} US dollars, {@link CooldownPolicy#defaults()}. The list
     * setters replace what was set before; {@link #budget} and {@link #rateLimit} add one.
     * Not thread-safe.
     */
    public static final class Builder {
        private RoutingPolicy routing = RoutingPolicy.defaults();
        private final List<BudgetDefinition> budgets = new ArrayList<>();
        private final List<RateLimitDefinition> rateLimits = new ArrayList<>();
        private TelemetrySettings telemetry;
        private ZoneId timezone = ZoneOffset.UTC;
        private Optional<String> defaultAgent = Optional.empty();
        private BigDecimal maxReservationUsd = new BigDecimal(DEFAULT_MAX_RESERVATION);
        private CooldownPolicy cooldown = CooldownPolicy.defaults();

        private Builder() {
        }

        public Builder routing(RoutingPolicy routing) {
            this.routing = Objects.requireNonNull(routing, "routing");
            return this;
        }

        /** Replaces the budgets, in the order given. */
        public Builder budgets(List<BudgetDefinition> budgets) {
            Objects.requireNonNull(budgets, "budgets");
            this.budgets.clear();
            this.budgets.addAll(budgets);
            return this;
        }

        /** Adds one budget after those set before. */
        public Builder budget(BudgetDefinition budget) {
            budgets.add(Objects.requireNonNull(budget, "budget"));
            return this;
        }

        /** Replaces the rate limits, in the order given. */
        public Builder rateLimits(List<RateLimitDefinition> rateLimits) {
            Objects.requireNonNull(rateLimits, "rateLimits");
            this.rateLimits.clear();
            this.rateLimits.addAll(rateLimits);
            return this;
        }

        /** Adds one rate limit after those set before. */
        public Builder rateLimit(RateLimitDefinition rateLimit) {
            rateLimits.add(Objects.requireNonNull(rateLimit, "rateLimit"));
            return this;
        }

        /** The telemetry store settings; required. */
        public Builder telemetry(TelemetrySettings telemetry) {
            this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        public Builder timezone(ZoneId timezone) {
            this.timezone = Objects.requireNonNull(timezone, "timezone");
            return this;
        }

        /** The agent used when a request names none. */
        public Builder defaultAgent(String defaultAgent) {
            this.defaultAgent = Optional.of(defaultAgent);
            return this;
        }

        public Builder defaultAgent(Optional<String> defaultAgent) {
            this.defaultAgent = Objects.requireNonNull(defaultAgent, "defaultAgent");
            return this;
        }

        /** The most one request may reserve in a budget, &gt; 0. */
        public Builder maxReservationUsd(BigDecimal maxReservationUsd) {
            this.maxReservationUsd = Objects.requireNonNull(maxReservationUsd, "maxReservationUsd");
            return this;
        }

        public Builder cooldown(CooldownPolicy cooldown) {
            this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
            return this;
        }

        /**
         * The policies.
         *
         * @throws IllegalStateException    when {@code telemetry} was not set
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public Policies build() {
            if (telemetry == null) {
                throw new IllegalStateException("Policies.telemetry is required and was not set");
            }
            return new Policies(routing, budgets, rateLimits, telemetry, timezone, defaultAgent, maxReservationUsd,
                    cooldown);
        }
    }
}
