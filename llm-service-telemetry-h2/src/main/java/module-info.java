/**
 * The H2 telemetry store ({@code policies.telemetry.store: h2}): invocation log, budget ledger and
 * stats in an embedded H2 file database that every process of one machine can share. Exports
 * nothing; the store is reached through {@link io.llmservice.spi.TelemetryStoreProvider}.
 */
module io.llmservice.telemetry.h2 {
    requires io.llmservice.api;
    requires io.llmservice.telemetry.jdbc;
    requires java.sql;
    requires com.h2database;
    // flyway-core declares no module name; this is the name the JDK derives from its jar.
    requires flyway.core;
    requires org.slf4j;

    // The migration scripts are resources that Flyway reads from this module.
    opens db.h2;

    provides io.llmservice.spi.TelemetryStoreProvider with io.llmservice.telemetry.h2.internal.H2TelemetryStoreProvider;
}
