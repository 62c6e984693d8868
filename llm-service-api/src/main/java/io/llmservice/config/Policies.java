package io.llmservice.config;

import java.time.ZoneId;
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
 * }</pre>
 *
 * <p>Immutable and thread-safe.
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
                       java.math.BigDecimal maxReservationUsd, CooldownPolicy cooldown) {
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

    /** With the default cooldown policy ({@link CooldownPolicy#defaults()}). */
    public Policies(RoutingPolicy routing, List<BudgetDefinition> budgets, List<RateLimitDefinition> rateLimits,
                    TelemetrySettings telemetry, ZoneId timezone, Optional<String> defaultAgent,
                    java.math.BigDecimal maxReservationUsd) {
        this(routing, budgets, rateLimits, telemetry, timezone, defaultAgent, maxReservationUsd,
                CooldownPolicy.defaults());
    }
}
