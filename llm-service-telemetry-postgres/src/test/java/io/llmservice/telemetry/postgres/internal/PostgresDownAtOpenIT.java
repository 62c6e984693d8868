package io.llmservice.telemetry.postgres.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A process that starts while PostgreSQL is down (a new {@code llm-service exec}, a CI job): building the
 * {@code LlmService} succeeds, and each call is handled as {@code when_down} says (docs/team.md) — a hard
 * budget refuses with {@code LLM-022} naming the URL, a soft one with {@code when_down: run} runs and warns,
 * a call under no budget runs. Once the server is up, the store migrates its schema and the next calls are
 * metered; the records of the calls made during the outage land. A wrong password with the server up still
 * fails the build at once.
 */
class PostgresDownAtOpenIT {
    @TempDir
    Path dir;

    @Test
    void serverDownAtBuild_buildSucceeds_budgetsFollowWhenDown_andTheStoreConnectsOnceUp() throws Exception {
        String password = TestDatabases.randomPassword();
        try (PostgresServer pg = PostgresServer.builder().build()) {
            pg.start();
            pg.createRole("late", password);
            pg.createDatabase("late", "late");
            String url = pg.jdbcUrl("late");
            pg.stop();

            // telemetry check does not wait for the server: unreachable is a failed check
            TelemetrySettings settings = TestDatabases.settings(pg, "late", "late", password);
            assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().check(settings, Clock.systemUTC()))
                    .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                        assertThat(e.getMessage()).contains(url, "08001").doesNotContain(password);
                    });

            Path config = config(url, "late");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("PGPASSWORD", password);
            LlmResponse soft;
            LlmResponse free;
            LlmResponse metered;
            try (LlmService llm = LlmService.builder().config(config).environment(env).build()) {
                assertThatThrownBy(() -> call(llm, "hard"))
                        .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
                            assertThat(e.getMessage()).contains("late-hard", url).doesNotContain(password);
                        });
                soft = call(llm, "soft");
                assertThat(soft.text()).isEqualTo("done");
                assertThat(soft.warnings()).anySatisfy(w -> assertThat(w).contains("late-soft", "unmetered"));
                free = call(llm, "free");
                assertThat(free.text()).isEqualTo("done");
                assertThat(free.warnings()).noneMatch(w -> w.contains("unmetered"));

                pg.start();
                metered = call(llm, "hard");
                assertThat(metered.warnings()).noneMatch(w -> w.contains("unmetered"));
            } // close() drains the log writer
            try (Connection c = pg.connectAsSuperuser("late")) {
                assertThat(count(c, "SELECT COUNT(*) FROM budget_reservation WHERE state = 'settled'"
                        + " AND budget = 'late-hard' AND request_id = '" + metered.requestId() + "'")).isEqualTo(1);
                assertThat(count(c, "SELECT COUNT(*) FROM budget_period WHERE budget = 'late-hard'"
                        + " AND spent_usd > 0")).isEqualTo(1);
                for (String id : new String[] {soft.requestId(), free.requestId(), metered.requestId()}) {
                    assertThat(count(c, "SELECT COUNT(*) FROM invocation WHERE outcome = 'success'"
                            + " AND request_id = '" + id + "'")).as("record of %s", id).isEqualTo(1);
                }
                assertThat(count(c, "SELECT COUNT(*) FROM invocation WHERE outcome = 'budget_blocked'"))
                        .as("the refused call's record").isEqualTo(1);
            }
        }
    }

    /**
     * A store opened while the server was down, whose role turns out (once the server is up) to be unable to
     * create its tables: each use fails with the migrator's message, as the open would have.
     */
    @Test
    void serverDownAtOpen_roleMayNotCreate_foundOnFirstUse_sameMessageAsAtOpen() {
        String password = TestDatabases.randomPassword();
        try (PostgresServer pg = PostgresServer.builder().build()) {
            pg.start();
            pg.createRole("late_ro", password);
            pg.createDatabase("late_ro");
            pg.execute("late_ro", "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
            pg.stop();
            TelemetrySettings settings = TestDatabases.settings(pg, "late_ro", "late_ro", password).toBuilder()
                    .connectTimeout(Duration.ofSeconds(1)).build();
            try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
                assertThatThrownBy(() -> store.ledger().standing("team", "daily:2026-12-01", Instant.EPOCH))
                        .isInstanceOfSatisfying(LlmServiceException.class,
                                e -> assertThat(e.getMessage()).contains("(SQL state 08001)", "is PostgreSQL running"));
                pg.start();
                assertThatThrownBy(() -> store.ledger().standing("team", "daily:2026-12-01", Instant.EPOCH))
                        .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                            assertThat(e.getMessage()).contains("cannot create the tables of telemetry database",
                                    "the user may not create in schema public").doesNotContain(password);
                        });
            }
        }
    }

    @Test
    void wrongPassword_serverUp_buildFailsAtOnce() throws Exception {
        String password = TestDatabases.randomPassword();
        PostgresServer pg = PostgresServer.shared();
        pg.createRole("late_wrong", password);
        pg.createDatabase("late_wrong", "late_wrong");
        Path config = config(pg.jdbcUrl("late_wrong"), "late_wrong");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PGPASSWORD", password + "x");
        assertThatThrownBy(() -> LlmService.builder().config(config).environment(env).build())
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                    assertThat(e.getMessage()).contains("28P01", "PGPASSWORD").doesNotContain(password);
                });
    }

    private static LlmResponse call(LlmService llm, String agent) {
        return llm.route(LlmRequest.builder("late").agent(agent).build()).execute();
    }

    private Path config(String url, String user) throws Exception {
        Path tool = dir.resolve("stand-in.sh");
        Files.writeString(tool, """
                #!/bin/sh
                printf '{"text":"done","cost":0.002}\\n'
                """);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = dir.resolve("llm-service.yaml");
        Files.writeString(config, """
                models:
                  small:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 2, cache_read: 0, cache_write: 0}
                tools:
                  stand-in:
                    type: cli
                    binary: "%s"
                    args: ["{prompt}"]
                    prompt: argument
                    models: {small: small-v1}
                    output: {format: json, text: $.text, cost_usd: $.cost}
                    timeout: 30s
                agents:
                  hard: {tool: stand-in, model: small}
                  soft: {tool: stand-in, model: small}
                  free: {tool: stand-in, model: small}
                policies:
                  budgets:
                    - name: late-hard
                      scope: {agent: hard}
                      period: monthly
                      limit: {usd: 100, type: hard}
                    - name: late-soft
                      scope: {agent: soft}
                      period: monthly
                      limit: {usd: 100, type: soft}
                  telemetry:
                    store: postgres
                    url: "%s"
                    user: %s
                    password: ${PGPASSWORD}
                    connect_timeout: 1s
                    when_down: run
                """.formatted(tool, url, user));
        return config;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
