/**
 * The PostgreSQL telemetry store: {@link io.llmservice.telemetry.postgres.internal.PostgresTelemetryStore}
 * over a small HikariCP pool ({@link io.llmservice.telemetry.postgres.internal.PostgresDatabase}), and the
 * store's Flyway migrations ({@code db/postgresql/}). The log, ledgers and stats are the dialect-neutral
 * code of {@code io.llmservice.telemetry.jdbc}. Internal: nothing here is exported.
 */
package io.llmservice.telemetry.postgres.internal;
