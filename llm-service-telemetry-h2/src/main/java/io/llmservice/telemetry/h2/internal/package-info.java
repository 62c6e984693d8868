/**
 * The H2 telemetry store: {@link io.llmservice.telemetry.h2.internal.H2TelemetryStore} over an H2 file
 * database that a per-store daemon ({@link io.llmservice.telemetry.h2.internal.StoreDaemon}) serves to
 * every process of the machine, and the store's Flyway migrations. The log, ledgers and stats are the
 * dialect-neutral code of {@code io.llmservice.telemetry.jdbc}. Internal: nothing here is exported.
 */
package io.llmservice.telemetry.h2.internal;
