/**
 * Service provider interfaces. Implementations are found with {@link java.util.ServiceLoader}
 * (through {@code META-INF/services} on the class path or {@code provides} in a module
 * descriptor); YAML {@code type:} selects a provider by its {@code type()} name, and two providers
 * with the same name fail fast naming both classes.
 *
 * <ul>
 *   <li>{@link io.llmservice.spi.ToolAdapterProvider} — runs a kind of tool ({@code cli} is built in)</li>
 *   <li>{@link io.llmservice.spi.RoutingStrategyProvider} — picks candidates ({@code preference}, {@code cost-optimized})</li>
 *   <li>{@link io.llmservice.spi.BudgetPolicyProvider} — admits or refuses spend</li>
 *   <li>{@link io.llmservice.spi.TelemetryStoreProvider} — records invocations ({@code memory}, {@code h2})</li>
 *   <li>{@link io.llmservice.spi.LlmServiceFactory} — the implementation behind {@link io.llmservice.LlmService}</li>
 * </ul>
 *
 * <p>Stores that several processes share also share their {@link io.llmservice.spi.BudgetLedger}
 * and, when they offer one, their {@link io.llmservice.spi.RateLimitLedger}.
 *
 * <p>Every store computes stats the same way, from quarter-hour rollup rows: a store applies
 * {@link io.llmservice.spi.RollupContributions#of} to each record it writes (adding the rows it returns
 * to its {@link io.llmservice.spi.RollupRow}s) and answers {@code stats} with
 * {@link io.llmservice.spi.RollupStats#report}; percentiles come from
 * {@link io.llmservice.spi.LatencyHistogram}, the one percentile implementation.
 */
package io.llmservice.spi;
