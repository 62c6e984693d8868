/**
 * The H2 telemetry store: {@link io.llmservice.telemetry.h2.internal.H2TelemetryStore} (invocation
 * log with an asynchronous batching writer), {@link io.llmservice.telemetry.h2.internal.H2BudgetLedger}
 * (check-and-reserve under a row lock), stats in SQL and Flyway migrations of the schema.
 * Internal: nothing here is exported.
 */
package io.llmservice.telemetry.h2.internal;
