package io.llmservice.telemetry.postgres.internal;

import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.Usage;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.testkit.FakeCli;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code store: postgres} as a user meets it, on a real PostgreSQL 14: from YAML through a whole service;
 * a wrong password, a password the server's error quotes, a server that is not there and one that stops
 * after the store opened, each a clear error naming the URL and user and never the password; hosts
 * opening a fresh database at once; a newer schema refused; the check that creates nothing.
 */
class PostgresTelemetryStoreProviderIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final PostgresServer pg = PostgresServer.shared();

    @TempDir
    Path dir;

    @Test
    void serviceLoader_findsTheProvider_byItsType() {
        assertThat(ServiceLoader.load(TelemetryStoreProvider.class).stream().map(p -> p.get().type()))
                .contains("postgres");
    }

    @Test
    void yaml_storePostgres_passwordFromVariable_routesRecordsAndReportsStats() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        FakeCli tool = FakeCli.builder().name("stand-in").stdout("{\"text\": \"ok\"}").build(dir);
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
                    args: ["run", "--model", "{model}"]
                    models: {small: small-v1}
                    output: {format: json, text: $.text}
                    timeout: 30s
                agents:
                  worker:
                    tool: stand-in
                    model: small
                policies:
                  budgets:
                    - name: team
                      scope: {}
                      period: daily
                      limit: {usd: 10.00, type: hard}
                      reserve_usd: 0.01
                  telemetry:
                    store: postgres
                    url: "%s"
                    user: %s
                    password: ${PGPASSWORD}
                    pool_size: 3
                    connect_timeout: 2s
                """.formatted(tool.binary(), db.url().orElseThrow(), db.user().orElseThrow()));
        String password = db.password().orElseThrow().reveal();

        try (LlmService llm = LlmService.builder().config(config).environment(Map.of("PGPASSWORD", password,
                "HOME", dir.toString())).clock(Clock.fixed(T0, ZoneOffset.UTC)).build()) {
            for (int i = 0; i < 3; i++) {
                assertThat(llm.route(LlmRequest.builder("hello " + i).agent("worker").build()).execute().text())
                        .isEqualTo("ok");
            }
            StatsReport report = llm.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT)
                    .build());
            assertThat(report.rows()).singleElement().satisfies(r -> {
                assertThat(r.group()).isEqualTo("worker");
                assertThat(r.requests()).isEqualTo(3);
                assertThat(r.succeeded()).isEqualTo(3);
            });
        }
        assertThat(tool.invocationCount()).isEqualTo(3);
        try (Connection c = pg.connectAsSuperuser(db.user().orElseThrow()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM invocation WHERE outcome = 'success'")).isEqualTo(3);
            assertThat(count(s, "SELECT COUNT(*) FROM budget_reservation WHERE state = 'live'")).isZero();
            assertThat(count(s, "SELECT COUNT(*) FROM budget_reservation")).isEqualTo(3);
        }
    }

    @Test
    void wrongPassword_clearErrorNamingUrlAndUser_neverThePassword() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        String wrong = TestDatabases.randomPassword();
        TelemetrySettings settings = db.toBuilder().password(Secret.fromVariable("PGPASSWORD", wrong)).build();

        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                    assertThat(e.getMessage())
                            .startsWith("telemetry: cannot connect to PostgreSQL at " + db.url().orElseThrow()
                                    + " (user " + db.user().orElseThrow() + "): ")
                            .contains("password authentication failed", "(SQL state 28P01)",
                                    "check policies.telemetry.user and the password in ${PGPASSWORD}")
                            .doesNotContain(wrong).doesNotContainIgnoringCase("\n");
                    assertThat(stackTrace(e)).doesNotContain(wrong);
                });
    }

    @Test
    void passwordThatTheServersErrorQuotes_isMaskedEverywhere() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        // The wrong password is the user's name: "password authentication failed for user "<it>"".
        String user = db.user().orElseThrow();
        TelemetrySettings settings = db.toBuilder().password(Secret.fromVariable("PGPASSWORD", user)).build();

        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.getMessage()).contains("(user ****)", "for user \"****\"", "28P01")
                            .doesNotContain(user);
                    assertThat(stackTrace(e)).doesNotContain(user);
                });
    }

    /**
     * Nothing listens at the URL: the open succeeds (a process that starts during an outage must run what
     * needs no budget, docs/team.md), each use fails within connect_timeout with the clear error naming URL
     * and user and what to check, and {@code telemetry check} fails at once with it.
     */
    @Test
    void noServerAtTheUrl_openSucceeds_useAndCheckFailWithClearErrorNamingUrlAndUser_andWhatToCheck() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/llm";
        TelemetrySettings settings = TelemetrySettings.builder().store("postgres").url(url).user("llm")
                .password(Secret.fromVariable("PGPASSWORD", "s3cret-never-shown")).connectTimeout(Duration.ofSeconds(2))
                .build();
        String why = "telemetry: cannot connect to PostgreSQL at " + url + " (user llm): ";
        String whatToCheck = "is PostgreSQL running at 127.0.0.1:" + port + " and reachable from this host? Check"
                + " policies.telemetry.url and user, and the password in ${PGPASSWORD}";

        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
            assertThatThrownBy(() -> store.ledger().standing("team", "daily:2026-12-01", T0))
                    .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                        assertThat(e.getMessage()).startsWith("budget ledger in " + url + " (user llm): ")
                                .contains(why, "(SQL state 08001)", whatToCheck)
                                .doesNotContain("s3cret-never-shown");
                        assertThat(stackTrace(e)).doesNotContain("s3cret-never-shown");
                    });
        }
        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().check(settings, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                    assertThat(e.getMessage()).startsWith(why).contains("(SQL state 08001)", whatToCheck)
                            .doesNotContain("s3cret-never-shown");
                    assertThat(stackTrace(e)).doesNotContain("s3cret-never-shown");
                });
    }


    @Test
    void urlWithPasswordParameter_isRefusedWithoutQuotingIt() {
        TelemetrySettings db = TestDatabases.fresh(pg);
        String password = db.password().orElseThrow().reveal();
        String url = db.url().orElseThrow() + "?ApplicationName=x&password=" + password;

        assertThatThrownBy(() -> TelemetrySettings.builder().store("postgres").url(url)
                .user(db.user().orElseThrow()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry a password")
                .satisfies(e -> assertThat(stackTrace(e)).doesNotContain(password));
    }

    /**
     * Stores whose server stops after they opened: a ledger call fails within about connect_timeout (the
     * pool's wait, not once per retry) naming URL and user; after the server is back, the same store works.
     */
    @Test
    void serverStopsAfterOpen_ledgerCallFailsClearly_andWorksAgainOnceItIsBack() {
        try (PostgresServer own = PostgresServer.builder().build()) {
            own.start();
            TelemetrySettings settings = TestDatabases.fresh(own).toBuilder().connectTimeout(Duration.ofSeconds(1))
                    .build();
            try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
                assertThat(store.ledger().standing("team", "daily:2026-12-01", T0).spentUsd()).isZero();

                own.stop();
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> store.ledger().standing("team", "daily:2026-12-01", T0))
                        .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
                            assertThat(e.getMessage()).startsWith("budget ledger in " + settings.url().orElseThrow()
                                    + " (user " + settings.user().orElseThrow() + "): could not read budget team: ")
                                    .doesNotContain(settings.password().orElseThrow().reveal());
                        });
                System.out.printf("ledger call with the server stopped failed after %d ms (connect_timeout 1 s)%n",
                        (System.nanoTime() - t0) / 1_000_000);

                own.start();
                assertThat(store.ledger().standing("team", "daily:2026-12-01", T0).spentUsd()).isZero();
                store.record(record("after-restart"));
                store.flush();
                assertThat(store.findByRequest("after-restart")).hasSize(1);
            }
        }
    }

    /** Four hosts opening one fresh database at once: Flyway's advisory lock lets exactly one apply V1. */
    @Test
    void fourConcurrentFirstOpens_migrateOnce_andAllWork() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<TelemetryStore> opened = new ArrayList<>();
        try {
            List<Future<TelemetryStore>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC());
                }));
            }
            go.countDown();
            for (Future<TelemetryStore> f : futures) {
                opened.add(f.get());
            }
            for (int i = 0; i < 4; i++) {
                opened.get(i).record(record("host-" + i));
                opened.get(i).flush();
            }
            assertThat(opened.get(0).findByRequest("host-3")).hasSize(1);
        } finally {
            opened.forEach(TelemetryStore::close);
            pool.shutdownNow();
        }
        try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM llm_schema_history WHERE version = '1' AND success"))
                    .as("V1 applied once").isEqualTo(1);
            assertThat(count(s, "SELECT COUNT(*) FROM llm_schema_history WHERE NOT success")).isZero();
            assertThat(count(s, "SELECT COUNT(*) FROM invocation")).isEqualTo(4);
        }
    }

    /** Opening a store whose schema is current changes nothing and costs one pool start plus Flyway's validation. */
    @Test
    void reopen_currentSchema_appliesNothing_andPrintsWhatOpeningCosts() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        long t0 = System.nanoTime();
        new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()).close();
        long first = System.nanoTime() - t0;
        long[] again = new long[5];
        for (int i = 0; i < again.length; i++) {
            long t = System.nanoTime();
            new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()).close();
            again[i] = System.nanoTime() - t;
        }
        java.util.Arrays.sort(again);
        System.out.printf("open + close: first (creates V1, V2) %d ms, then median %d ms of %d%n", first / 1_000_000,
                again[again.length / 2] / 1_000_000, again.length);
        try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM llm_schema_history")).isEqualTo(SchemaMigrator.SCHEMA_VERSION);
        }
    }

    @Test
    void newerSchema_isRefused_andLeftUnchanged() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()).close();
        try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO llm_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, execution_time, success) VALUES (99, '99', 'from the future', 'SQL',"
                    + " 'V99__from_the_future.sql', 0, 'test', 0, TRUE)");
            s.execute("CREATE TABLE from_the_future (n INT)");
        }

        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "telemetry database " + settings.url().orElseThrow() + " (user " + settings.user().orElseThrow()
                                + ") was created by a newer llm-service (schema v99 > v2); upgrade llm-service on this"
                                + " host, or set policies.telemetry.url to another database. It was not changed."));
        StoreCheck check = new PostgresTelemetryStoreProvider().check(settings, Clock.systemUTC());
        assertThat(check.ok()).isFalse();
        assertThat(check.findings()).anyMatch(f -> f.contains("version v99") && f.contains("NEWER"));
    }

    @Test
    void upgradeFromV1_whoseOldStartIndexWasDroppedByHand_migratesToV2() throws Exception {
        String name = "v1only";
        String password = TestDatabases.randomPassword();
        pg.createRole(name, password);
        pg.createDatabase(name, name);
        Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(pg.jdbcUrl(name), name, password)
                .locations(SchemaMigrator.LOCATION).table(SchemaMigrator.HISTORY_TABLE).target("1").load().migrate();
        pg.execute(name, "DROP INDEX invocation_started_at");

        new PostgresTelemetryStoreProvider().open(TestDatabases.settings(pg, name, name, password), Clock.systemUTC())
                .close();

        try (Connection c = pg.connectAsSuperuser(name); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM llm_schema_history WHERE success")).isEqualTo(2);
            assertThat(count(s, "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'invocation_scan'")).isEqualTo(1);
        }
    }

    @Test
    void check_emptyDatabase_failsAndCreatesNothing_thenOkOnceOpened() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        TelemetryStoreProvider provider = new PostgresTelemetryStoreProvider();

        StoreCheck empty = provider.check(settings, Clock.systemUTC());

        assertThat(empty.ok()).isFalse();
        assertThat(empty.findings()).singleElement().asString().contains("no 'postgres' store at", "nothing was created");
        try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")).isZero();
        }

        try (TelemetryStore store = provider.open(settings, Clock.systemUTC())) {
            store.record(record("one"));
        }
        StoreCheck whole = provider.check(settings, Clock.systemUTC());
        assertThat(whole.ok()).as("%s", whole.findings()).isTrue();
        assertThat(whole.findings()).contains("table invocation: 1 row(s)", "schema: public, version v2")
                .anyMatch(f -> f.startsWith("ok: "));
    }

    @Test
    void check_tableDropped_isDamaged() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()).close();
        try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
            s.execute("DROP TABLE cooldown");
        }

        StoreCheck check = new PostgresTelemetryStoreProvider().check(settings, Clock.systemUTC());

        assertThat(check.ok()).isFalse();
        assertThat(check.findings()).contains("table cooldown: MISSING").anyMatch(f -> f.startsWith("DAMAGED: "));
    }

    @Test
    void scanRecords_logThatCannotBeRead_failsNamingTheStore() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
            store.record(record("one"));
            store.flush();
            try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE invocation RENAME COLUMN complexity TO complexity_gone");
            }

            assertThatThrownBy(() -> store.scanRecords(T0.minusSeconds(1), T0.plusSeconds(1), r -> { }))
                    .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                        assertThat(e.code()).isEqualTo(io.llmservice.ErrorCode.TELEMETRY_STORE);
                        assertThat(e.getMessage()).startsWith("telemetry: could not read the records from "
                                + T0.minusSeconds(1) + " to " + T0.plusSeconds(1) + " at " + settings.url().orElseThrow())
                                .contains("complexity");
                    });
        }
    }

    /**
     * A request id column whose collation sorts like a natural language ("a" before "B"; a database created
     * with such a locale) still scans in code-point order, as the memory and H2 stores and the javadoc say.
     */
    @Test
    void scanRecords_naturalLanguageCollation_stillOrdersRequestIdsByCodePoint() throws Exception {
        TelemetrySettings settings = TestDatabases.fresh(pg);
        try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
            String collation;
            try (Connection c = pg.connectAsSuperuser(settings.user().orElseThrow()); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT collname FROM pg_collation WHERE collname IN"
                        + " ('en-x-icu', 'und-x-icu', 'en_US.utf8', 'en_US') ORDER BY collname LIMIT 1")) {
                    org.junit.jupiter.api.Assumptions.assumeTrue(rs.next(), "no natural-language collation installed");
                    collation = rs.getString(1);
                }
                // the index and the foreign keys of the label tables go with the column; drop what holds it
                s.execute("ALTER TABLE invocation_label DROP CONSTRAINT IF EXISTS invocation_label_invocation");
                s.execute("ALTER TABLE invocation_model_usage DROP CONSTRAINT IF EXISTS invocation_model_usage_invocation");
                s.execute("ALTER TABLE invocation ALTER COLUMN request_id TYPE TEXT COLLATE \"" + collation + "\"");
                try (ResultSet rs = s.executeQuery("SELECT 'B-1' < ('a-1' COLLATE \"" + collation + "\")")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("%s sorts 'a' before 'B'", collation).isFalse();
                }
            }
            for (String id : List.of("a-1", "B-1", "b-1", "A-1", "_-1", "1-1")) {
                store.record(record(id));
            }
            List<String> scanned = new ArrayList<>();
            store.scanRecords(T0, T0.plusSeconds(1), r -> scanned.add(r.requestId()));

            assertThat(scanned).containsExactly("1-1", "A-1", "B-1", "_-1", "a-1", "b-1");
        }
    }

    @Test
    void poolSizeOne_isRefusedWithWhy() {
        TelemetrySettings settings = TestDatabases.fresh(pg).toBuilder().poolSize(1).build();

        assertThatThrownBy(() -> new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC()))
                .hasMessageContaining("policies.telemetry.pool_size 1 is too small for store: postgres;")
                .hasMessageEndingWith("set pool_size: 2 or more");
    }

    static InvocationRecord record(String requestId) {
        return InvocationRecord.builder().requestId(requestId).attempt(1).startedAt(T0).agent("agent")
                .team("team").tool("tool").model("model").outcome(Outcome.SUCCESS).exitCode(0)
                .usage(Usage.of(100, 20, 0, 0)).costUsd(new BigDecimal("0.001")).costSource(CostSource.COMPUTED)
                .latency(Duration.ofMillis(5)).build();
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
