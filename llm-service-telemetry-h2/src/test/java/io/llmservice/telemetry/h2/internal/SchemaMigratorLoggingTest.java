package io.llmservice.telemetry.h2.internal;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway logs through SLF4J, as the rest of the library does. This module's tests have no SLF4J
 * provider, the situation of a library user without a logging backend: left to detect, Flyway
 * would fall back to java.util.logging and print its INFO lines on stderr.
 */
class SchemaMigratorLoggingTest {

    @Test
    void migrate_withoutAnSlf4jProvider_logsNothingThroughJavaUtilLogging() {
        List<LogRecord> flywayRecords = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && r.getLoggerName().startsWith("org.flywaydb")) {
                    flywayRecords.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        JdbcConnectionPool db = JdbcConnectionPool.create("jdbc:h2:mem:schema-migrator-logging;DB_CLOSE_DELAY=-1",
                "sa", "");
        try {
            SchemaMigrator.migrate(db, Path.of("mem:schema-migrator-logging"));
        } finally {
            root.removeHandler(capture);
            db.dispose();
        }

        assertThat(flywayRecords).extracting(LogRecord::getMessage).isEmpty();
    }
}
