/**
 * The dialect-neutral part of the SQL telemetry stores: {@link io.llmservice.telemetry.jdbc.internal.JdbcTelemetryStore}
 * (log, ledgers, stats) over a {@link io.llmservice.telemetry.jdbc.internal.JdbcDatabase}. Internal: for the
 * H2 and PostgreSQL store modules only; it may change in any release.
 */
package io.llmservice.telemetry.jdbc.internal;
