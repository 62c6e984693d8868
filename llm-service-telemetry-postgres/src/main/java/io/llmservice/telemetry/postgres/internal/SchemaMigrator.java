package io.llmservice.telemetry.postgres.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.telemetry.jdbc.internal.Sql;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Brings the store's schema to this build's version with Flyway: scripts {@code V<n>__<what>.sql} under
 * {@code db/postgresql/}, applied once each and recorded with checksums in {@value #HISTORY_TABLE}, in the
 * connection's current schema (the role's {@code search_path}, or the URL's {@code currentSchema}).
 * Refuses — before changing anything — a database whose history holds a version newer than the newest
 * script here, and a database where an applied script was changed.
 *
 * <pre>{@code
 * SchemaMigrator.migrate(dataSource, target);
 * }</pre>
 *
 * <p><b>Many hosts at once.</b> Flyway takes a PostgreSQL advisory lock around applying migrations, so
 * hosts that start together apply each script once; the ones that waited find it applied. Creating the
 * history table itself can still collide (both see it missing); Flyway retries that by itself.
 * Stateless.
 */
final class SchemaMigrator {
    static final String HISTORY_TABLE = "llm_schema_history";
    static final String LOCATION = "classpath:db/postgresql";
    /** The newest migration this build ships; a test keeps it in step with the scripts. */
    static final int SCHEMA_VERSION = 2;
    /** The tables of {@link #SCHEMA_VERSION}; a test keeps it in step with the scripts. */
    static final List<String> TABLES = List.of("budget_period", "budget_reservation", "cooldown", "invocation",
            "invocation_label", "invocation_model_usage", "rate_limit_bucket", "stat_rollup", "store_import",
            "store_import_progress");

    private static final String NEEDS_SCHEMA = "The user needs its own schema, first in its search_path, on"
            + " which it may CREATE (docs/team.md)";

    private SchemaMigrator() {
    }

    static void migrate(DataSource dataSource, PostgresTarget target) {
        String store = target.describe();
        Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                // Through SLF4J like the rest of the library (left to detect, Flyway may pick java.util.logging).
                .loggers("slf4j")
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // Flyway ignores applied migrations it does not know ("*:future") by default; a newer schema
                // must stop this build instead of being written to by code that does not know it.
                .ignoreMigrationPatterns(new String[0])
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load();
        requireSchema(dataSource, target);
        try {
            flyway.migrate();
        } catch (FlywayValidateException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + store
                    + " does not match this build's migrations: " + Sql.oneLine(target.redact(e.getMessage()))
                    + ". An already applied migration script was changed; restore the released script"
                    + " (schema scripts are never edited after release, only added)", target.redact(e));
        } catch (FlywayException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot create or migrate the tables of"
                    + " telemetry database " + store + ": " + Sql.oneLine(target.redact(e.getMessage())) + ". " + NEEDS_SCHEMA,
                    target.redact(e));
        }
    }

    /**
     * Fails at once, saying what to do, when the tables cannot be there or are not for this build: the
     * history holds a version newer than this build's (nothing is changed), the user's {@code search_path}
     * names no existing schema, or the store's tables are not made yet and the user may not create in
     * that schema (Flyway would retry creating its history table for seconds before saying less). A user
     * that may not create is fine once the tables exist (an administrator migrated them).
     */
    private static void requireSchema(DataSource dataSource, PostgresTarget target) {
        String schema;
        boolean mayCreate;
        boolean made;
        Version version = new Version(0, false);
        try (Connection c = dataSource.getConnection()) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT current_schema(), has_schema_privilege(current_schema(),"
                         + " 'CREATE'), to_regclass(quote_ident(current_schema()) || '." + HISTORY_TABLE
                         + "') IS NOT NULL")) {
                rs.next();
                schema = rs.getString(1);
                mayCreate = rs.getBoolean(2);
                made = rs.getBoolean(3);
            }
            if (made) {
                version = version(c);
            }
        } catch (SQLException e) {
            SQLException r = target.redact(e);
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read the schema of telemetry database "
                    + target.describe() + ": " + Sql.oneLine(r.getMessage()), r);
        }
        if (schema == null) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot create the tables of telemetry database "
                    + target.describe() + ": the user's search_path names no schema that exists. " + NEEDS_SCHEMA);
        }
        if (version.applied() > SCHEMA_VERSION) {
            // Flyway is told not to ignore "future" migrations, so it would refuse too, but in its words.
            throw newerSchema(target.describe(), Integer.toString(version.applied()));
        }
        if (!made && !mayCreate) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot create the tables of telemetry database "
                    + target.describe() + ": the user may not create in schema " + schema + ", the first of its"
                    + " search_path. " + NEEDS_SCHEMA);
        }
    }

    private static LlmServiceException newerSchema(String store, String version) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + store
                + " was created by a newer llm-service (schema v" + version + " > v" + SCHEMA_VERSION
                + "); upgrade llm-service on this host, or set policies.telemetry.url to another database."
                + " It was not changed.");
    }

    /** The schema version recorded in the history table of the connection's current schema. */
    static Version version(Connection c) throws SQLException {
        int applied = 0;
        boolean failed = false;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM " + HISTORY_TABLE
                     + " WHERE version IS NOT NULL")) {
            while (rs.next()) {
                int v = Integer.parseInt(rs.getString(1).split("\\.")[0]);
                if (rs.getBoolean(2)) {
                    applied = Math.max(applied, v);
                } else {
                    failed = true;
                }
            }
        }
        return new Version(applied, failed);
    }

    /**
     * The schema version a database holds.
     *
     * @param applied the newest migration applied successfully, 0 for none
     * @param failed  whether a migration is recorded as failed
     */
    record Version(int applied, boolean failed) {
        /** Whether it is this build's schema, whole. */
        boolean current() {
            return applied == SCHEMA_VERSION && !failed;
        }

        String describe() {
            return "v" + applied + (failed ? ", with a FAILED migration" : "")
                    + (applied > SCHEMA_VERSION ? " (NEWER than this build's v" + SCHEMA_VERSION + ")"
                    : applied < SCHEMA_VERSION ? " (older than this build's v" + SCHEMA_VERSION + ")" : "");
        }
    }
}
