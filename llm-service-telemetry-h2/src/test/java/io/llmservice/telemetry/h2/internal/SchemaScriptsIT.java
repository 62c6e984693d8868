package io.llmservice.telemetry.h2.internal;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check that lets an up-to-date database skip Flyway: it must agree with Flyway about the
 * scripts, and say "current" only for the history Flyway leaves after applying all of them.
 */
class SchemaScriptsIT {
    @TempDir
    Path dir;
    private JdbcConnectionPool pool;

    @AfterEach
    void dispose() {
        if (pool != null) {
            pool.dispose();
        }
    }

    @Test
    void files_areEveryScriptOfTheFolder_oldestFirst() throws Exception {
        try (var scripts = Files.list(Path.of("src/main/resources/db/h2"))) {
            assertThat(SchemaScripts.FILES).isEqualTo(scripts.map(p -> p.getFileName().toString())
                    .sorted(Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))))
                    .toList());
        }
        assertThat(SchemaScripts.FILES).last().asString().startsWith("V" + SchemaMigrator.SCHEMA_VERSION + "__");
    }

    @Test
    void expected_isWhatFlywayResolves_versionDescriptionTypeAndChecksum() {
        Flyway flyway = flyway(newDatabase());
        List<SchemaScripts.Applied> resolved = Arrays.stream(flyway.info().pending())
                .map(SchemaScriptsIT::applied).toList();

        assertThat(resolved).hasSize(SchemaScripts.FILES.size());
        assertThat(SchemaScripts.expected()).isEqualTo(resolved);
    }

    @Test
    void recordedIn_afterFlywayAppliedEverything_isTrue_andEqualsWhatFlywayRecorded() throws Exception {
        JdbcConnectionPool db = newDatabase();
        Flyway flyway = flyway(db);
        flyway.migrate();

        assertThat(Arrays.stream(flyway.info().applied()).map(SchemaScriptsIT::applied).toList())
                .isEqualTo(SchemaScripts.expected());
        assertThat(recorded(db)).isTrue();
    }

    @Test
    void recordedIn_newDatabase_isFalse() throws Exception {
        assertThat(recorded(newDatabase())).isFalse();
    }

    @Test
    void recordedIn_onlyPartlyMigrated_isFalse() throws Exception {
        JdbcConnectionPool db = newDatabase();
        Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(db).locations(SchemaMigrator.LOCATION)
                .table(SchemaMigrator.HISTORY_TABLE).target("2").load().migrate();

        assertThat(recorded(db)).isFalse();
    }

    @Test
    void recordedIn_changedChecksum_isFalse() throws Exception {
        assertThat(recordedAfter("UPDATE \"" + SchemaMigrator.HISTORY_TABLE + "\" SET \"checksum\" = 12345"
                + " WHERE \"version\" = '2'")).isFalse();
    }

    @Test
    void recordedIn_missingChecksum_isFalse() throws Exception {
        assertThat(recordedAfter("UPDATE \"" + SchemaMigrator.HISTORY_TABLE + "\" SET \"checksum\" = NULL"
                + " WHERE \"version\" = '1'")).isFalse();
    }

    @Test
    void recordedIn_failedMigration_isFalse() throws Exception {
        assertThat(recordedAfter("UPDATE \"" + SchemaMigrator.HISTORY_TABLE + "\" SET \"success\" = FALSE"
                + " WHERE \"version\" = '3'")).isFalse();
    }

    @Test
    void recordedIn_changedDescription_isFalse() throws Exception {
        assertThat(recordedAfter("UPDATE \"" + SchemaMigrator.HISTORY_TABLE + "\" SET \"description\" = 'other'"
                + " WHERE \"version\" = '1'")).isFalse();
    }

    @Test
    void recordedIn_newerMigration_isFalse() throws Exception {
        assertThat(recordedAfter("INSERT INTO \"" + SchemaMigrator.HISTORY_TABLE + "\" (\"installed_rank\","
                + " \"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                + " \"execution_time\", \"success\") VALUES (99, '99', 'from the future', 'SQL',"
                + " 'V99__from_the_future.sql', 1, 'sa', 1, TRUE)")).isFalse();
    }

    @Test
    void recordedIn_removedMigration_isFalse() throws Exception {
        assertThat(recordedAfter("DELETE FROM \"" + SchemaMigrator.HISTORY_TABLE + "\" WHERE \"version\" = '2'"))
                .isFalse();
    }

    @Test
    void recordedIn_repeatableMigrationOfAnotherTool_isFalse() throws Exception {
        assertThat(recordedAfter("INSERT INTO \"" + SchemaMigrator.HISTORY_TABLE + "\" (\"installed_rank\","
                + " \"version\", \"description\", \"type\", \"script\", \"checksum\", \"installed_by\","
                + " \"execution_time\", \"success\") VALUES (" + (SchemaScripts.FILES.size() + 1) + ", NULL, 'views', 'SQL',"
                + " 'R__views.sql', 1, 'sa', 1,"
                + " TRUE)")).isFalse();
    }

    @Test
    void open_currentDatabase_isCurrent_andStillBackfillsAndWorks() {
        Path base = dir.resolve("telemetry");
        H2TelemetryStore.open(base, java.time.Clock.systemUTC()).close();
        pool = JdbcConnectionPool.create(TelemetryDatabase.url(base), "sa", "");
        assertThat(SchemaMigrator.isCurrent(pool)).isTrue();
        pool.dispose();
        pool = null;

        try (H2TelemetryStore store = H2TelemetryStore.open(base, java.time.Clock.systemUTC())) {
            store.record(ChildProcessMain.record("after-fast-open"));
            assertThat(store.findByRequest("after-fast-open")).hasSize(1);
        }
    }

    @Test
    void open_newDatabase_logsNoFailedHistoryQuery() throws Exception {
        Path base = dir.resolve("fresh");
        H2TelemetryStore.open(base, java.time.Clock.systemUTC()).close();
        H2TelemetryStore.open(base, java.time.Clock.systemUTC()).close();

        // H2 logs a failed statement to <path>.trace.db; asking for a history table that is not there yet
        // would leave one beside every new database. (H2 may trace other things there, such as its close.)
        Path trace = dir.resolve("fresh.trace.db");
        assertThat(dir.resolve("fresh.mv.db")).exists();
        if (Files.exists(trace)) {
            assertThat(Files.readString(trace)).doesNotContain(SchemaMigrator.HISTORY_TABLE);
        }
    }

    private boolean recordedAfter(String sql) throws SQLException {
        JdbcConnectionPool db = newDatabase();
        flyway(db).migrate();
        assertThat(recorded(db)).isTrue();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
        return recorded(db);
    }

    private static boolean recorded(JdbcConnectionPool db) throws SQLException {
        try (Connection c = db.getConnection()) {
            return SchemaScripts.recordedIn(c);
        }
    }

    private JdbcConnectionPool newDatabase() {
        pool = JdbcConnectionPool.create(TelemetryDatabase.url(dir.resolve("schema")), "sa", "");
        return pool;
    }

    private static Flyway flyway(JdbcConnectionPool db) {
        return Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(db).locations(SchemaMigrator.LOCATION)
                .table(SchemaMigrator.HISTORY_TABLE).load();
    }

    private static SchemaScripts.Applied applied(MigrationInfo m) {
        return new SchemaScripts.Applied(m.getVersion().getVersion(), m.getDescription(), m.getType().name(),
                m.getChecksum());
    }
}
