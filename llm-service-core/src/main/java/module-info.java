/**
 * The llm-service implementation: configuration loading and validation, routing strategies,
 * the generic YAML-driven CLI adapter and its process runner, budgets and rate limits, and the
 * in-memory telemetry store.
 * Exports nothing: everything public is reached through {@code io.llmservice.api} and the
 * providers below.
 */
module io.llmservice.core {
    requires transitive io.llmservice.api;
    requires org.snakeyaml.engine.v2;
    requires jakarta.validation;
    requires org.hibernate.validator;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires json.path;
    requires org.slf4j;
    requires org.apache.commons.csv;

    // Hibernate Validator reads the constraint annotations of the internal binding records.
    opens io.llmservice.core.internal.config to org.hibernate.validator;

    uses io.llmservice.spi.ToolAdapterProvider;
    uses io.llmservice.spi.RoutingStrategyProvider;
    uses io.llmservice.spi.BudgetPolicyProvider;
    uses io.llmservice.spi.TelemetryStoreProvider;

    provides io.llmservice.spi.LlmServiceFactory with io.llmservice.core.internal.DefaultLlmServiceFactory;
    provides io.llmservice.spi.RoutingStrategyProvider with
            io.llmservice.core.internal.routing.BuiltInStrategies.Preference,
            io.llmservice.core.internal.routing.BuiltInStrategies.CostOptimized;
    provides io.llmservice.spi.BudgetPolicyProvider with
            io.llmservice.core.internal.budget.LimitBudgetPolicyProvider;
    provides io.llmservice.spi.TelemetryStoreProvider with
            io.llmservice.core.internal.telemetry.InMemoryTelemetryStoreProvider;
    provides io.llmservice.spi.ToolAdapterProvider with io.llmservice.core.internal.adapter.CliToolAdapterProvider;
}
