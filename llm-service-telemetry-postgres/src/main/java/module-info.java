/**
 * The PostgreSQL telemetry store ({@code policies.telemetry.store: postgres}): invocation log, budget
 * ledger, rate limits, cooldowns and stats in one PostgreSQL database that every host of a team shares.
 * Exports nothing; the store is reached through {@link io.llmservice.spi.TelemetryStoreProvider}.
 */
module io.llmservice.telemetry.postgres {
    requires io.llmservice.api;
    requires io.llmservice.telemetry.jdbc;
    requires java.sql;
    requires org.postgresql.jdbc;
    requires com.zaxxer.hikari;
    // flyway-core and its PostgreSQL plugin declare no module names; these are the names the JDK derives
    // from their jars. The plugin is only loaded by Flyway, but without it Flyway knows no PostgreSQL.
    requires flyway.core;
    requires flyway.database.postgresql;
    requires org.slf4j;

    // The migration scripts are resources that Flyway reads from this module.
    opens db.postgresql;

    provides io.llmservice.spi.TelemetryStoreProvider
            with io.llmservice.telemetry.postgres.internal.PostgresTelemetryStoreProvider;
}
