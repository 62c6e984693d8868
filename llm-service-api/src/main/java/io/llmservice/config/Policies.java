package io.llmservice.config;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code policies:} section.
 *
 * @param routing      routing strategy and its knobs
 * @param budgets      budgets, in the order written
 * @param rateLimits   rate limits, in the order written
 * @param telemetry    telemetry store settings
 * @param timezone     the zone budget periods are counted in
 * @param defaultAgent the agent used when a request names none
 */
public record Policies(RoutingPolicy routing, List<BudgetDefinition> budgets, List<RateLimitDefinition> rateLimits,
                       TelemetrySettings telemetry, ZoneId timezone, Optional<String> defaultAgent) {
    public Policies {
        Objects.requireNonNull(routing, "routing");
        budgets = List.copyOf(budgets);
        rateLimits = List.copyOf(rateLimits);
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(defaultAgent, "defaultAgent");
    }
}
