package io.llmservice.cli;

import io.llmservice.telemetry.postgres.internal.PostgresServer;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command with {@code store: postgres} against a real PostgreSQL 14: the jar holds the store, the
 * password comes only from {@code ${PGPASSWORD}} and shows up in no output, and a wrong one is a clear
 * error naming the URL and the user.
 */
class CliPostgresIT {
    private static final String PASSWORD = "cli-pg-Secret-7f3a9";

    @TempDir
    Path tmp;
    private CliRun cli;
    private final PostgresServer pg = PostgresServer.shared();
    private Path work;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(Files.createDirectories(tmp.resolve("home")), work);
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private String config(String database) {
        FakeCli claude = FakeCli.builder().name("claude").stdout(CliRun.claudeSuccess()).build(tmp.resolve("fakes"));
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  claude-code:
                    extends: claude-code
                    binary: "%s"
                agents:
                  reviewer:
                    team: platform
                    tool: claude-code
                    model: claude-sonnet-4-5
                policies:
                  default_agent: reviewer
                  budgets:
                    - name: platform
                      scope: {team: platform}
                      period: monthly
                      limit: {usd: 50.00, type: hard}
                  telemetry:
                    store: postgres
                    url: "%s"
                    user: %s
                    password: ${PGPASSWORD}
                """.formatted(claude.binary(), pg.jdbcUrl(database), database));
        return pg.jdbcUrl(database);
    }

    @Test
    void exec_stats_check_onPostgres_thePasswordInNoOutput() throws Exception {
        pg.createRole("cli_pg", PASSWORD);
        pg.createDatabase("cli_pg", "cli_pg");
        String url = config("cli_pg");
        cli.env("PGPASSWORD", PASSWORD);

        for (int i = 0; i < 2; i++) {
            CliRun.Result exec = cli.run("exec", "Review this diff " + i);
            assertThat(exec.exitCode()).as(exec.toString()).isZero();
            assertThat(exec.toString()).doesNotContain(PASSWORD);
            assertThat(exec.stderr()).as("no pool or migration chatter").isEmpty();
        }
        CliRun.Result stats = cli.run("stats", "--format", "csv");
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        assertThat(stats.stdout()).contains("reviewer");
        CliRun.Result check = cli.run("telemetry", "check");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.stdout()).contains("table invocation: 2 row(s)", "ok: " + url + " (user cli_pg)");
        assertThat(stats + check.toString()).doesNotContain(PASSWORD);

        try (Connection c = pg.connectAsSuperuser("cli_pg"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM budget_reservation WHERE state = 'settled'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("one settled reservation per call").isEqualTo(2);
        }
    }

    @Test
    void exec_wrongPassword_exit1_errorNamesUrlAndUser_nothingRan() {
        pg.createRole("cli_pg_wrong", PASSWORD);
        pg.createDatabase("cli_pg_wrong", "cli_pg_wrong");
        String url = config("cli_pg_wrong");
        String wrong = "not-" + PASSWORD;
        cli.env("PGPASSWORD", wrong);

        CliRun.Result exec = cli.run("exec", "Review this diff");

        assertThat(exec.exitCode()).as(exec.toString()).isNotZero();
        assertThat(exec.stderr()).contains("cannot connect to PostgreSQL at " + url + " (user cli_pg_wrong)",
                "28P01", "the password in ${PGPASSWORD}");
        assertThat(exec.toString()).doesNotContain(wrong).doesNotContain(PASSWORD);
    }
}
