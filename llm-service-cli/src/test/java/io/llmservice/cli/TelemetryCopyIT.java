package io.llmservice.cli;

import io.llmservice.CostSource;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.telemetry.postgres.internal.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code llm-service telemetry copy} as a user runs it: the real shaded jar copies a real H2 store
 * into a real PostgreSQL 14 ({@link PostgresServer}); the dry run writes nothing; a second run copies
 * nothing; the configured store is the default target; a wrong password is one clear line that names
 * the URL and user and never the password.
 */
class TelemetryCopyIT {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-12-02T09:00:00Z");

    @TempDir
    Path tmp;

    private final PostgresServer pg = PostgresServer.shared();
    private CliRun cli;
    private Path store;
    private Path work;
    private String database;
    private String password;

    @BeforeEach
    void setUp() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(home, work);
        store = tmp.resolve("store").resolve("telemetry");
        database = "copy" + NEXT.incrementAndGet() + "_" + ProcessHandle.current().pid();
        password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        pg.createRole(database, password);
        pg.createDatabase(database, database);
    }

    @AfterEach
    void tearDown() {
        cli.close();
        provider("h2").server(h2()).ifPresent(s -> s.stop(Duration.ofSeconds(20)));
    }

    @Test
    void copy_dryRunThenCopyThenAgain_everyRecordArrivesOnce() {
        List<String> ids = populate(40);
        cli.env("PGPASSWORD", password);

        CliRun.Result dry = cli.run("telemetry", "copy", "--from", store.toString(), "--to", pg.jdbcUrl(database),
                "--user", database, "--dry-run");

        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.stdout()).contains("dry run, nothing was written: would copy 54 of 54 invocation record(s) from "
                        + store, "budget ledger: 1 period(s); would add $0.5 of spend; would copy 2 closed reservation(s)",
                "not copied: rate-limit buckets and cooldowns");
        try (TelemetryStore target = provider("postgres").open(postgres(), Clock.systemUTC())) {
            assertThat(target.findByRequest(ids.get(0))).isEmpty();
        }

        CliRun.Result copy = cli.run("telemetry", "copy", "--from", store.toString(), "--to", pg.jdbcUrl(database),
                "--user", database);

        System.out.println("TelemetryCopyIT copy: " + copy);
        assertThat(copy.exitCode()).as(copy.toString()).isZero();
        assertThat(copy.stderr()).contains("copying the 'h2' store at " + store + " into " + pg.jdbcUrl(database)
                + " (user " + database + ")", "records: 54 / 54");
        assertThat(copy.stdout()).contains("copied 54 of 54 invocation record(s)", "0 were there already",
                "added $0.5 of spend; copied 2 closed reservation(s)");
        assertSameRecords(ids);

        CliRun.Result again = cli.run("telemetry", "copy", "--from", store + ".mv.db", "--to", pg.jdbcUrl(database),
                "--user", database);

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).contains("copied 0 of 54 invocation record(s)", "54 were there already",
                "added $0 of spend; copied 0 closed reservation(s)");
        assertSameRecords(ids);
    }

    @Test
    void copy_withoutTo_copiesIntoTheConfiguredPostgresStore_passwordFromItsVariable() {
        List<String> ids = populate(5);
        CliRun.write(work.resolve("llm-service.yaml"), """
                policies:
                  telemetry:
                    store: postgres
                    url: "%s"
                    user: %s
                    password: "${TEAM_DB_PASSWORD}"
                """.formatted(pg.jdbcUrl(database), database));
        cli.env("TEAM_DB_PASSWORD", password);

        CliRun.Result r = cli.run("telemetry", "copy", "--from", store.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("copied 7 of 7 invocation record(s)");
        assertSameRecords(ids);
    }

    @Test
    void copy_wrongPassword_oneLineNamingUrlAndUser_neverThePassword_nothingCopied() {
        populate(3);
        String wrong = "not-the-password-" + NEXT.incrementAndGet();
        cli.env("COPY_PW", wrong);

        CliRun.Result r = cli.run("telemetry", "copy", "--from", store.toString(), "--to", pg.jdbcUrl(database),
                "--user", database, "--password-env", "COPY_PW");

        System.out.println("TelemetryCopyIT wrong password: " + r);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.TOOL_FAILURE);
        assertThat(r.stderr()).contains(pg.jdbcUrl(database), database, "LLM-050").doesNotContain(wrong)
                .doesNotContain("\tat ");
        assertThat(r.stdout()).doesNotContain(wrong);
    }

    @Test
    void copy_passwordEnvNotSet_orNoStoreAtFrom_usageErrorAndNothingCreated() {
        CliRun.Result unset = cli.run("telemetry", "copy", "--from", store.toString(), "--to", pg.jdbcUrl(database),
                "--user", database, "--password-env", "NOT_SET_ANYWHERE");
        assertThat(unset.exitCode()).as(unset.toString()).isEqualTo(ExitCodes.USAGE);

        populateNothing();
        CliRun.Result missing = cli.run("telemetry", "copy", "--from", store.toString(), "--to", pg.jdbcUrl(database),
                "--user", database);
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.stderr()).contains("no H2 telemetry store at " + store, "nothing was created");
        assertThat(Files.exists(Path.of(store + ".mv.db"))).isFalse();
    }

    @Test
    void copy_toUrlCarryingAPassword_usageErrorThatNeverPrintsIt() {
        populate(2);
        for (String to : List.of(pg.jdbcUrl(database) + "?password=" + password,
                pg.jdbcUrl(database).replace("//", "//" + database + ":" + password + "@"))) {
            CliRun.Result r = cli.run("telemetry", "copy", "--from", store.toString(), "--to", to, "--user", database);

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.stderr()).contains("--to must not carry a password");
            assertThat(r.toString()).doesNotContain(password);
        }
        CliRun.Result notPostgres = cli.run("telemetry", "copy", "--from", store.toString(), "--to",
                "postgres://db/llm?sslmode=" + password);
        assertThat(notPostgres.exitCode()).as(notPostgres.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(notPostgres.toString()).contains("--to must be a PostgreSQL JDBC URL").doesNotContain(password);
    }

    private void populateNothing() {
        assertThat(Files.exists(Path.of(store + ".mv.db"))).isFalse();
    }

    /** {@code n} requests, every third with a failed first attempt; one budget with a settled and a released reservation. */
    private List<String> populate(int n) {
        List<String> ids = new ArrayList<>();
        try (TelemetryStore h2 = provider("h2").open(h2(), Clock.systemUTC())) {
            for (int i = 0; i < n; i++) {
                String id = "req-" + i;
                ids.add(id);
                if (i % 3 == 0) {
                    h2.record(record(id, 1).outcome(Outcome.FAILED).exitCode(1).errorSummary("overloaded").build());
                    h2.record(record(id, 2).label("ticket", "T-" + i).build());
                } else {
                    h2.record(record(id, 1).build());
                }
            }
            Instant now = Instant.now();
            for (BigDecimal actual : new BigDecimal[] {new BigDecimal("0.5"), null}) {
                String r = h2.ledger().reserve(ReservationRequest.builder("team-monthly", "2026-12")
                        .limitUsd(BigDecimal.TEN).amountUsd(BigDecimal.ONE).call("req-0", 1, "reviewer", "claude-code",
                                "claude-sonnet-4-5").now(now).expiresAt(now.plusSeconds(600)).build())
                        .reservationId().orElseThrow();
                if (actual == null) {
                    h2.ledger().release(r);
                } else {
                    h2.ledger().settle(r, actual);
                }
            }
        }
        return ids;
    }

    private static InvocationRecord.Builder record(String id, int attempt) {
        return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(T0.plusSeconds(attempt))
                .agent("reviewer").team("platform").tool("claude-code").model("claude-sonnet-4-5")
                .outcome(Outcome.SUCCESS).exitCode(0).usage(Usage.of(100, 20, 0, 0)).costUsd(new BigDecimal("0.01"))
                .costSource(CostSource.TOOL_REPORTED).latency(Duration.ofMillis(1200)).errorSummary("");
    }

    private void assertSameRecords(List<String> ids) {
        try (TelemetryStore h2 = provider("h2").open(h2(), Clock.systemUTC());
             TelemetryStore target = provider("postgres").open(postgres(), Clock.systemUTC())) {
            for (String id : ids) {
                assertThat(target.findByRequest(id)).as(id).isEqualTo(h2.findByRequest(id)).isNotEmpty();
            }
        }
    }

    private TelemetrySettings h2() {
        return TelemetrySettings.builder().store("h2").path(store).build();
    }

    private TelemetrySettings postgres() {
        return TelemetrySettings.builder().store("postgres").url(pg.jdbcUrl(database)).user(database)
                .password(Secret.fromVariable("PGPASSWORD", password)).build();
    }

    private static TelemetryStoreProvider provider(String type) {
        return ServiceLoader.load(TelemetryStoreProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.type().equals(type)).findFirst().orElseThrow();
    }
}
