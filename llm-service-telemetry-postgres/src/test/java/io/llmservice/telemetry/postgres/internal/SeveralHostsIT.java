package io.llmservice.telemetry.postgres.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several hosts, one budget: 4 JVMs, each its own host (in its own network namespace when this
 * machine allows it — as root — with PostgreSQL listening on the namespaces' bridge; otherwise plain
 * processes over loopback; the test prints which), one of them with its service clock 5 minutes
 * ahead, make 500 calls each through {@code LlmService} against one hard monthly budget on one
 * PostgreSQL. The stand-in tool is a shell script reporting a cost of $0.001 to $0.009 (by its pid);
 * every call reserves {@code reserve_usd: 0.01}, so costs never exceed reservations and the hard
 * limit holds exactly (the overspend bound of docs/budgets.md has no term here). The limit ($6) is
 * reached partway: some calls are refused.
 *
 * <p>Asserted: the spend in the ledger equals, exactly, the sum of the costs the hosts' responses
 * reported, and is at most the limit; no reservation is left live; each successful call has exactly
 * one reservation, settled at its cost, and exactly one invocation record, and each refusal one
 * {@code budget_blocked} record; the host ahead made its reservations on the database's clock (its
 * expiries are not 5 minutes later than the others'); and month-by-agent and day-by-model stats read
 * the same on every host.
 */
class SeveralHostsIT {
    private static final int HOSTS = 4;
    private static final int CALLS = 500;
    private static final BigDecimal LIMIT = new BigDecimal("6.00");
    private static final long SKEW_SECONDS = 300;

    @TempDir
    Path dir;

    @Test
    void fourHosts_oneHardBudget_spendIsExactlyTheReportedCosts_withinTheLimit_andEveryHostReadsTheSameStats()
            throws Exception {
        Path tool = dir.resolve("stand-in.sh");
        Files.writeString(tool, """
                #!/bin/sh
                # a stand-in for a coding-agent CLI: answers at once with a cost of $0.001 to $0.009
                printf '{"text":"done","cost":0.00%d,"usage":{"input":%d,"output":7}}\\n' $(($$ % 9 + 1)) $(($$ % 50 + 10))
                """);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        String password = TestDatabases.randomPassword();
        try (TestHosts hosts = TestHosts.create(HOSTS);
             PostgresServer pg = PostgresServer.builder().listenAddresses(hosts.serverListenAddresses()).build()) {
            System.out.println("SeveralHostsIT: " + hosts.description());
            pg.start();
            pg.createRole("fleet", password);
            pg.createDatabase("fleet", "fleet");
            Path config = dir.resolve("llm-service.yaml");
            Files.writeString(config, config(tool, pg.jdbcUrl(hosts.serverAddress(), "fleet")));

            List<Process> children = new ArrayList<>();
            List<BufferedReader> outs = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < HOSTS; i++) {
                    long skew = i == HOSTS - 1 ? SKEW_SECONDS : 0;
                    ProcessBuilder pb = new ProcessBuilder(hosts.java(i, SeveralHostsMain.class,
                            List.of(config.toString(), Integer.toString(CALLS), Long.toString(skew), "agent-" + i)))
                            .redirectError(dir.resolve("host-" + i + ".log").toFile());
                    pb.environment().put("PGPASSWORD", password);
                    Process p = pb.start();
                    children.add(p);
                    outs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
                }
                for (int i = 0; i < HOSTS; i++) {
                    assertThat(outs.get(i).readLine()).as("host %d; logs: %s", i, logs()).isEqualTo("ready");
                }
                send(children, "go");
                Map<String, BigDecimal> reported = new HashMap<>();
                int refused = 0;
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < HOSTS; i++) {
                    for (String line = outs.get(i).readLine(); !"calls-done".equals(line); line = outs.get(i).readLine()) {
                        assertThat(line).as("host %d ended early; logs: %s", i, logs()).isNotNull();
                        String[] w = line.split(" ", 3);
                        switch (w[0]) {
                            case "ok" -> assertThat(reported.put(w[1], new BigDecimal(w[2]))).as("request id %s", w[1])
                                    .isNull();
                            case "refused" -> refused++;
                            default -> errors.add("host " + i + ": " + line);
                        }
                    }
                }
                Duration calls = Duration.ofNanos(System.nanoTime() - started);
                send(children, "stats");
                List<String> monthByAgent = new ArrayList<>();
                List<String> dayByModel = new ArrayList<>();
                for (int i = 0; i < HOSTS; i++) {
                    monthByAgent.add(outs.get(i).readLine());
                    dayByModel.add(outs.get(i).readLine());
                    assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(children.get(i).exitValue()).as("host %d; logs: %s", i, logs()).isZero();
                }
                System.out.printf("SeveralHostsIT: %d calls on %d hosts in %d ms: %d ran, %d refused%n",
                        HOSTS * CALLS, HOSTS, calls.toMillis(), reported.size(), refused);

                assertThat(errors).isEmpty();
                assertThat(reported.size() + refused).isEqualTo(HOSTS * CALLS);
                assertThat(refused).as("the limit is reached partway").isPositive();
                assertThat(reported).as("calls ran before it").isNotEmpty();
                BigDecimal sum = reported.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
                System.out.printf("SeveralHostsIT: reported costs $%s of the $%s limit; stats on host 0: %s%n",
                        sum.toPlainString(), LIMIT.toPlainString(), monthByAgent.get(0));

                try (Connection c = pg.connectAsSuperuser("fleet")) {
                    // A period per key: the host 5 minutes ahead books in the next month's key when the
                    // test runs in the last 5 minutes of a month (the period key comes from the host's clock).
                    Map<String, BigDecimal> spent = new HashMap<>();
                    query(c, "SELECT period_key, spent_usd FROM budget_period WHERE budget = 'fleet-monthly'",
                            rs -> spent.put(rs.getString(1), rs.getBigDecimal(2)));
                    assertThat(spent.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                            .as("ledger spend vs the costs the responses reported").isEqualByComparingTo(sum);
                    assertThat(spent.values()).allSatisfy(s -> assertThat(s).isLessThanOrEqualTo(LIMIT));
                    assertThat(single(c, "SELECT COUNT(*) FROM budget_reservation WHERE state = 'live'")).isZero();

                    Map<String, BigDecimal> settled = new HashMap<>();
                    query(c, "SELECT request_id, state, actual_usd FROM budget_reservation", rs -> {
                        assertThat(rs.getString(2)).as("reservation of %s", rs.getString(1)).isEqualTo("settled");
                        assertThat(settled.put(rs.getString(1), rs.getBigDecimal(3))).as("second reservation of %s",
                                rs.getString(1)).isNull();
                    });
                    assertThat(settled.keySet()).isEqualTo(reported.keySet());
                    reported.forEach((id, cost) -> assertThat(settled.get(id)).as(id).isEqualByComparingTo(cost));

                    Map<String, BigDecimal> logged = new HashMap<>();
                    long[] blocked = {0};
                    query(c, "SELECT request_id, outcome, cost_usd FROM invocation", rs -> {
                        if (rs.getString(2).equals("budget_blocked")) {
                            blocked[0]++;
                        } else {
                            assertThat(rs.getString(2)).isEqualTo("success");
                            assertThat(logged.put(rs.getString(1), rs.getBigDecimal(3))).isNull();
                        }
                    });
                    assertThat(logged.keySet()).isEqualTo(reported.keySet());
                    reported.forEach((id, cost) -> assertThat(logged.get(id)).as(id).isEqualByComparingTo(cost));
                    assertThat(blocked[0]).isEqualTo(refused);

                    // Reservations are stamped by the database's clock: those of the host 5 minutes ahead
                    // are not 5 minutes later than the others' (all were made within the calls' run).
                    long spread = single(c, "SELECT MAX(expires_at_ns) - MIN(expires_at_ns) FROM budget_reservation");
                    assertThat(Duration.ofNanos(spread)).isLessThan(calls.plusSeconds(3));
                    long ahead = single(c, "SELECT COUNT(*) FROM invocation WHERE agent = 'agent-" + (HOSTS - 1) + "'"
                            + " AND outcome = 'success'");
                    assertThat(ahead).as("the host ahead ran calls").isPositive();
                }
                assertThat(monthByAgent).as("month by agent, as read on each host").doesNotContainNull()
                        .containsOnly(monthByAgent.get(0));
                assertThat(dayByModel).as("day by model, as read on each host").doesNotContainNull()
                        .containsOnly(dayByModel.get(0));
                assertThat(monthByAgent.get(0)).contains("agent-0", "agent-" + (HOSTS - 1));
            } finally {
                for (Process p : children) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static String config(Path tool, String url) {
        StringBuilder agents = new StringBuilder();
        for (int i = 0; i < HOSTS; i++) {
            agents.append("  agent-").append(i).append(": {tool: stand-in, model: small, team: platform}\n");
        }
        return """
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
                    args: ["run", "{prompt}"]
                    prompt: argument
                    models: {small: small-v1}
                    output:
                      format: json
                      text: $.text
                      cost_usd: $.cost
                      input_tokens: $.usage.input
                      output_tokens: $.usage.output
                    timeout: 30s
                agents:
                %spolicies:
                  budgets:
                    - name: fleet-monthly
                      scope: {}
                      period: monthly
                      limit: {usd: %s, type: hard}
                      reserve_usd: 0.01
                  telemetry:
                    store: postgres
                    url: "%s"
                    user: fleet
                    password: ${PGPASSWORD}
                """.formatted(tool, agents, LIMIT.toPlainString(), url);
    }

    private static void send(List<Process> children, String line) throws IOException {
        for (Process p : children) {
            OutputStream in = p.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
    }

    @FunctionalInterface
    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.accept(rs);
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < HOSTS; i++) {
            Path log = dir.resolve("host-" + i + ".log");
            try {
                String text = Files.exists(log) ? Files.readString(log) : "";
                b.append("\n--- host ").append(i).append(":\n")
                        .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
            } catch (IOException e) {
                b.append("\n--- host ").append(i).append(": ").append(e);
            }
        }
        return b.toString();
    }
}
