/**
 * The SQL that the H2 and PostgreSQL telemetry stores share: the invocation log and its batching
 * writer, the budget, rate-limit and cooldown ledgers, and stats, over a {@code JdbcDatabase} that each
 * store module implements. Its package is internal, exported only to the store modules.
 */
module io.llmservice.telemetry.jdbc {
    requires transitive io.llmservice.api;
    requires transitive java.sql;
    requires org.slf4j;

    exports io.llmservice.telemetry.jdbc.internal;
}
