package io.llmservice.telemetry.postgres.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.TelemetryStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarted mid-run: 4 threads make calls through one {@code LlmService} against a hard
 * budget on a real PostgreSQL while the test stops the server (fast shutdown; or SIGKILLs the
 * postmaster, then crash recovery), keeps it down for 10 s — longer than a ledger transaction's
 * retries and than the log writer used to keep a batch (5 attempts) — and starts it again on the same data directory and port. The stand-in tool takes 50 ms,
 * so calls are in flight at every moment of the outage.
 *
 * <p>Each call must either return an answer with its cost, or fail with {@code LLM-022
 * BUDGET_UNAVAILABLE} / {@code LLM-050 TELEMETRY_STORE} whose message names the store (its URL) and
 * never the password. Afterwards, with reservations whose settle was lost charged at expiry (the test
 * asks the ledger for the budget 5 minutes on, by the database's clock): the ledger's spend equals the
 * sum of the costs of the calls that answered, exactly; every answered call has one reservation and one
 * invocation record, both at its cost (its record survived the outage in the log writer); nothing is
 * live; a reservation without an answered call charged nothing.
 */
class PostgresRestartIT {
    private static final int THREADS = 4;
    private static final Duration DOWN = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stop", "kill"})
    void serverRestartedMidRun_everyCallAnsweredAndChargedOnce_orFailedNamingTheStore(String how) throws Exception {
        Path tool = dir.resolve("stand-in.sh");
        Files.writeString(tool, """
                #!/bin/sh
                /bin/sleep 0.05
                printf '{"text":"done","cost":0.00%d}\\n' $(($$ % 9 + 1))
                """);
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        String password = TestDatabases.randomPassword();
        try (PostgresServer pg = PostgresServer.builder().build()) {
            pg.start();
            pg.createRole("restart", password);
            pg.createDatabase("restart", "restart");
            String url = pg.jdbcUrl("restart");
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
                      worker: {tool: stand-in, model: small}
                    policies:
                      budgets:
                        - name: restart-monthly
                          scope: {}
                          period: monthly
                          limit: {usd: 1000, type: hard}
                          reserve_usd: 0.01
                      telemetry:
                        store: postgres
                        url: "%s"
                        user: restart
                        password: ${PGPASSWORD}
                        connect_timeout: 1s
                    """.formatted(tool, url));
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("PGPASSWORD", password);

            Map<String, BigDecimal> answered = new ConcurrentHashMap<>();
            List<LlmServiceException> failed = new CopyOnWriteArrayList<>();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            try (LlmService llm = LlmService.builder().config(config).environment(env).build()) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    Thread thread = new Thread(() -> {
                        while (!stop.get()) {
                            calls.incrementAndGet();
                            try {
                                LlmResponse r = llm.route(LlmRequest.builder("restart").agent("worker").build()).execute();
                                answered.put(r.requestId(), r.costUsd().orElseThrow());
                            } catch (LlmServiceException e) {
                                failed.add(e);
                            } catch (Throwable e) {
                                unexpected.add(e);
                            }
                        }
                    }, "caller-" + t);
                    thread.start();
                    threads.add(thread);
                }
                Thread.sleep(1_500);
                int before = answered.size();
                if (how.equals("kill")) {
                    pg.kill();
                } else {
                    pg.stop();
                }
                Thread.sleep(DOWN.toMillis());
                pg.start();
                int duringOutage = answered.size() - before;
                long back = System.nanoTime();
                // Until calls are answered again, then a little longer.
                while (answered.size() < before + duringOutage + 20 && System.nanoTime() - back < 60_000_000_000L) {
                    Thread.sleep(100);
                }
                Thread.sleep(500);
                stop.set(true);
                for (Thread thread : threads) {
                    thread.join(60_000);
                }
                System.out.printf("PostgresRestartIT (%s): %d calls: %d answered (%d before the outage), %d failed%n",
                        how, calls.get(), answered.size(), before, failed.size());
                assertThat(before).as("calls answered before the outage").isPositive();
            } // close() drains the log writer

            assertThat(unexpected).isEmpty();
            assertThat(answered.size()).as("calls answered after the restart").isGreaterThan(20);
            assertThat(failed).as("calls refused while the server was down for %s", DOWN).isNotEmpty();
            for (LlmServiceException e : failed) {
                assertThat(e.code()).as("%s", e.getMessage()).isIn(ErrorCode.BUDGET_UNAVAILABLE, ErrorCode.TELEMETRY_STORE);
                assertThat(e.getMessage()).contains(url).doesNotContain(password);
                for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                    assertThat(String.valueOf(c.getMessage())).doesNotContain(password);
                }
            }
            System.out.printf("PostgresRestartIT (%s): e.g. %s: %s%n", how, failed.get(0).code().id(),
                    failed.get(0).getMessage());
            BigDecimal reported = answered.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);

            // Reservations whose settle was lost in the outage are charged at expiry (start + timeout + 1 min):
            // ask the ledger 5 minutes on. Its clock is the database's, so this charges them now.
            TelemetrySettings settings = TelemetrySettings.builder().store(PostgresTelemetryStoreProvider.TYPE).url(url)
                    .user("restart").password(Secret.fromVariable("PGPASSWORD", password)).build();
            String period;
            try (Connection c = pg.connectAsSuperuser("restart")) {
                period = string(c, "SELECT period_key FROM budget_period WHERE budget = 'restart-monthly'");
            }
            try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
                BudgetStanding s = store.ledger().standing("restart-monthly", period, Instant.now().plusSeconds(300));
                assertThat(s.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
                assertThat(s.spentUsd()).as("ledger spend vs the costs of the answered calls").isEqualByComparingTo(reported);
                System.out.printf("PostgresRestartIT (%s): spend $%s == reported $%s; %d reservation(s) charged at expiry%n",
                        how, s.spentUsd().toPlainString(), reported.toPlainString(), s.expiryCharges());
            }
            try (Connection c = pg.connectAsSuperuser("restart")) {
                assertThat(count(c, "SELECT COUNT(*) FROM budget_reservation WHERE state = 'live'")).isZero();
                Map<String, BigDecimal> charged = new HashMap<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT request_id, state, actual_usd FROM budget_reservation")) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        BigDecimal actual = rs.getBigDecimal(3) == null ? BigDecimal.ZERO : rs.getBigDecimal(3);
                        if (answered.containsKey(id)) {
                            assertThat(charged.put(id, actual)).as("a second reservation of %s", id).isNull();
                            assertThat(rs.getString(2)).isIn("settled", "expired");
                        } else {
                            // a call that failed: released, or (its reserve committed but the answer lost) charged nothing
                            assertThat(actual).as("reservation of unanswered %s (%s)", id, rs.getString(2))
                                    .isEqualByComparingTo(BigDecimal.ZERO);
                        }
                    }
                }
                assertThat(charged.keySet()).isEqualTo(answered.keySet());
                answered.forEach((id, cost) -> assertThat(charged.get(id)).as(id).isEqualByComparingTo(cost));

                Map<String, BigDecimal> logged = new HashMap<>();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT request_id, cost_usd FROM invocation WHERE outcome = 'success'")) {
                    while (rs.next()) {
                        assertThat(logged.put(rs.getString(1), rs.getBigDecimal(2))).as("record of %s", rs.getString(1))
                                .isNull();
                    }
                }
                assertThat(logged.keySet()).isEqualTo(answered.keySet());
                answered.forEach((id, cost) -> assertThat(logged.get(id)).as(id).isEqualByComparingTo(cost));
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
