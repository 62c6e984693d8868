package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening the H2 store: discovery, bad files and paths, schema history checks, durability across reopen. */
class H2TelemetryStoreIT {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Test
    void provider_isFoundByServiceLoader_asH2() {
        assertThat(ServiceLoader.load(TelemetryStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(TelemetryStoreProvider::type)).contains("h2");
        try (TelemetryStore store = new H2TelemetryStoreProvider().open(
                TelemetrySettings.builder().store("h2").path(dir.resolve("a/b/telemetry")).privacy(Privacy.METADATA).build(), Clock.systemUTC())) {
            assertThat(store).isInstanceOf(H2TelemetryStore.class);
        }
        assertThat(dir.resolve("a/b/telemetry.mv.db")).exists();
    }

    @Test
    void open_garbageAtThePath_failsNamingIt_andLeavesTheFileUntouched() throws Exception {
        Path base = dir.resolve("telemetry");
        Path file = dir.resolve("telemetry.mv.db");
        byte[] garbage = "this is not a database, it is someone's notes\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, garbage);

        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is not an H2 database or is corrupted")
                .hasMessageContaining("left untouched");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void open_truncatedH2File_failsNamingIt_andLeavesTheFileUntouched() throws Exception {
        Path base = dir.resolve("telemetry");
        H2TelemetryStore.open(base, Clock.systemUTC()).close();
        TestDaemons.stopAll(dir);
        Path file = dir.resolve("telemetry.mv.db");
        byte[] all = Files.readAllBytes(file);
        byte[] damaged = java.util.Arrays.copyOf(all, 4096 + 100);
        java.util.Arrays.fill(damaged, 4096, damaged.length, (byte) 0x5A);
        java.util.Arrays.fill(damaged, 60, 4096, (byte) 'x');
        Files.write(file, damaged);

        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()))
                .isInstanceOf(LlmServiceException.class)
                .hasMessageContaining(dir.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
    }

    @Test
    void open_pathNotWritable_failsAtOpen() throws Exception {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        Path base = notADir.resolve("telemetry");

        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                .hasMessageContaining("telemetry path " + base + " is not writable")
                .hasMessageContaining("policies.telemetry.path");
        assertThat(Files.readString(notADir)).isEqualTo("x");
    }

    @Test
    void open_readOnlyDirectory_failsAtOpen() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        assertThat(ro.toFile().setWritable(false, false)).isTrue();
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(ro), "running as root: permissions are not enforced");
            assertThatThrownBy(() -> H2TelemetryStore.open(ro.resolve("telemetry"), Clock.systemUTC()))
                    .hasMessageContaining("is not writable");
        } finally {
            ro.toFile().setWritable(true, false);
        }
    }

    @Test
    void open_schemaFromANewerVersion_failsWithoutDowngrading() throws Exception {
        Path base = dir.resolve("telemetry");
        H2TelemetryStore.open(base, Clock.systemUTC()).close();
        try (Connection c = TestDaemons.embedded(base);
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO \"" + SchemaMigrator.HISTORY_TABLE + "\" (\"installed_rank\", \"version\","
                    + " \"description\", \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 1, 'sa', 1, TRUE)");
        }

        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()))
                .isInstanceOf(LlmServiceException.class)
                .hasMessageContaining("was created by a newer llm-service (schema v99 > v" + SchemaMigrator.SCHEMA_VERSION
                        + "); upgrade")
                .hasMessageContaining(base.toString());
        try (Connection c = TestDaemons.embedded(base);
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM \"" + SchemaMigrator.HISTORY_TABLE + "\" WHERE \"version\" = '99'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void open_changedAppliedMigration_failsNamingIt() throws Exception {
        Path base = dir.resolve("telemetry");
        H2TelemetryStore.open(base, Clock.systemUTC()).close();
        try (Connection c = TestDaemons.embedded(base);
             Statement s = c.createStatement()) {
            // What the history says when the script shipped differed from the one in this build.
            s.executeUpdate("UPDATE \"" + SchemaMigrator.HISTORY_TABLE + "\" SET \"checksum\" = 12345 WHERE \"version\" = '1'");
        }

        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()))
                .isInstanceOf(LlmServiceException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("version 1")
                .hasMessageContaining("already applied migration script was changed");
    }

    @Test
    void schemaVersion_matchesTheNewestScript() throws Exception {
        try (var scripts = Files.list(Path.of("src/main/resources/db/h2"))) {
            assertThat(scripts.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("V"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElse(0))
                    .isEqualTo(SchemaMigrator.SCHEMA_VERSION);
        }
    }

    @Test
    void reopen_keepsRecordsAndLedger() {
        Path base = dir.resolve("telemetry");
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(ChildProcessMain.record("kept"));
        }
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(store.findByRequest("kept")).hasSize(1);
        }
    }

    @Test
    void record_afterClose_isRefused() {
        H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC());
        store.close();
        assertThatThrownBy(() -> store.record(ChildProcessMain.record("late")))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
    }

    @Test
    void fullQueue_callerWaits_nothingDropped() {
        try (H2TelemetryStore store = H2TelemetryStore.open(dir.resolve("telemetry"), Clock.systemUTC(), 4)) {
            for (int i = 0; i < 500; i++) {
                store.record(ChildProcessMain.record("q-" + i));
            }
            store.flush();
            for (int i : new int[]{0, 250, 499}) {
                assertThat(store.findByRequest("q-" + i)).hasSize(1);
            }
        }
    }

    @Test
    void writeFailure_isReportedByTheNextFlush() throws Exception {
        Path base = dir.resolve("telemetry");
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            try (Connection c = store.databaseForTests().connection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE invocation ADD CONSTRAINT no_bad CHECK (agent <> 'bad')");
            }
            store.record(new io.llmservice.spi.InvocationRecord("bad-1", 1, java.time.Instant.now(), "bad",
                    java.util.Optional.empty(), "t", "m", io.llmservice.Outcome.SUCCESS, java.util.OptionalInt.empty(),
                    io.llmservice.Usage.unknown(), java.util.Optional.empty(), io.llmservice.CostSource.UNKNOWN,
                    java.util.Optional.empty(), java.time.Duration.ZERO, java.util.Optional.empty(), "",
                    java.util.Optional.empty(), java.util.Optional.empty(), java.util.Map.of()));
            assertThatThrownBy(store::flush)
                    .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                    .hasMessageContaining("1 telemetry record(s) could not be written to " + base);
            store.record(ChildProcessMain.record("good-after"));
            store.flush();
            assertThat(store.findByRequest("good-after")).hasSize(1);
        }
    }
}
