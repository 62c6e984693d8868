package io.llmservice.spi;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link BudgetPolicyProvider} gets to build a budget: where spend is kept, the clock and
 * time zone periods are counted in, and where warnings go.
 *
 * <pre>{@code
 * public BudgetPolicy create(BudgetDefinition definition, BudgetContext context) {
 *     return new MyPolicy(definition, context.store().ledger(), context.clock(), context.zone(), context::warn);
 * }
 * }</pre>
 *
 * @param store    where spend and reservations are kept (atomically), through {@link TelemetryStore#ledger()}
 * @param clock    the service clock, for periods and reservation expiry
 * @param zone     {@code policies.timezone}
 * @param warnings receives warnings such as "budget x reached 80% of its limit"; the service hands them
 *                 to {@link io.llmservice.LlmServiceListener#onWarning} and logs them. Thread-safe.
 */
public record BudgetContext(TelemetryStore store, Clock clock, ZoneId zone, Consumer<String> warnings) {
    public BudgetContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(warnings, "warnings");
    }

    /** Emits one warning. */
    public void warn(String message) {
        warnings.accept(message);
    }
}
