package io.llmservice.core.internal.config;

import java.util.Objects;
import java.util.Set;

/**
 * The {@code type:} names the configuration may use, as discovered from the SPI providers on
 * the class or module path. The loader rejects any other name with a "did you mean" hint.
 *
 * <pre>{@code
 * KnownTypes types = new KnownTypes(Set.of("cli"), Set.of("preference", "cost-optimized"),
 *         Set.of("limit"), Set.of("memory", "h2"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param toolTypes         names of the tool adapter providers ({@code tools.*.type})
 * @param routingStrategies names of the routing strategy providers ({@code policies.routing.strategy})
 * @param budgetTypes       names of the budget policy providers ({@code policies.budgets[*].type})
 * @param telemetryStores   names of the telemetry store providers ({@code policies.telemetry.store})
 */
public record KnownTypes(Set<String> toolTypes, Set<String> routingStrategies, Set<String> budgetTypes,
                         Set<String> telemetryStores) {
    public KnownTypes {
        toolTypes = Set.copyOf(Objects.requireNonNull(toolTypes, "toolTypes"));
        routingStrategies = Set.copyOf(Objects.requireNonNull(routingStrategies, "routingStrategies"));
        budgetTypes = Set.copyOf(Objects.requireNonNull(budgetTypes, "budgetTypes"));
        telemetryStores = Set.copyOf(Objects.requireNonNull(telemetryStores, "telemetryStores"));
    }
}
