package io.llmservice.telemetry.h2.internal;

import io.llmservice.telemetry.jdbc.internal.Sql;
import io.llmservice.telemetry.jdbc.internal.RollupTable;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.exception.FlywayValidateException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.nio.file.Path;

/**
 * Brings the schema to this build's version with Flyway: scripts {@code V<n>__<what>.sql} under
 * {@code db/<dialect>/} (only {@code h2} so far), applied once each and recorded with checksums in
 * {@value #HISTORY_TABLE}. Refuses — before changing anything — a database whose history holds a
 * version newer than the newest script here, and a database where an applied script was changed.
 * Runs in the store daemon ({@link StoreDaemon}) when it opens the file, so clients never start Flyway.
 */
final class SchemaMigrator {
    static final String HISTORY_TABLE = "llm_schema_history";
    static final String LOCATION = "classpath:db/h2";
    /** The newest migration this build ships; a test keeps it in step with the scripts. */
    static final int SCHEMA_VERSION = 10;

    private SchemaMigrator() {
    }

    static void migrate(DataSource dataSource, Path path) {
        Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                // Through SLF4J like the rest of the library, for this Flyway only (no system property): left to
                // detect, Flyway picks java.util.logging whenever SLF4J has no provider and prints its INFO lines.
                .loggers("slf4j")
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // Flyway ignores applied migrations it does not know ("*:future") by default; a newer
                // schema must stop this build instead of being written to by code that does not know it.
                .ignoreMigrationPatterns(new String[0])
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load();
        try {
            refuseNewerSchema(flyway, path);
            migrateRacing(flyway);
            backfillStats(dataSource, path);
        } catch (FlywayValidateException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + path
                    + " does not match this build's migrations: " + Sql.oneLine(e.getMessage())
                    + ". An already applied migration script was changed; restore the released script"
                    + " (schema scripts are never edited after release, only added)", e);
        } catch (FlywayException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot migrate telemetry database " + path
                    + ": " + Sql.oneLine(e.getMessage()), e);
        }
    }

    /** Processes opening a new database together may collide creating the history table; the loser retries. */
    private static void migrateRacing(Flyway flyway) {
        for (int attempt = 1; ; attempt++) {
            try {
                flyway.migrate();
                return;
            } catch (FlywayValidateException e) {
                throw e;
            } catch (FlywayException e) {
                if (attempt == 3) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Data logged before v9 is rolled up once ({@link RollupTable#backfill}; a no-op once done). */
    private static void backfillStats(DataSource dataSource, Path path) {
        try (Connection c = dataSource.getConnection()) {
            RollupTable.backfill(c);
        } catch (SQLException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot roll up the stats of telemetry database "
                    + path + " after upgrading it: " + Sql.oneLine(e.getMessage()), e);
        }
    }

    private static void refuseNewerSchema(Flyway flyway, Path path) {
        MigrationVersion newest = null;
        for (MigrationInfo m : flyway.info().all()) {
            if ((m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                    && m.getVersion() != null && (newest == null || m.getVersion().isNewerThan(newest))) {
                newest = m.getVersion();
            }
        }
        if (newest != null) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + path
                    + " was created by a newer llm-service (schema v" + newest + " > v" + SCHEMA_VERSION
                    + "); upgrade llm-service, or set policies.telemetry.path to another path. It was not changed.");
        }
    }
}
