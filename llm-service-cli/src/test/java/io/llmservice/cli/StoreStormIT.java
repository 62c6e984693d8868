package io.llmservice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many {@code llm-service exec} processes (the real shaded jar) sharing one H2 store through its
 * daemon, under one hard budget (issue 13, "Storm" and "Kill storm"). The stand-in tool is a real
 * shell script that sleeps a second, appends its prompt to a "ran" file and reports $0.0125.
 *
 * <p>The kill storm runs {@value #DEFAULT_KILL_ROUNDS} rounds by default (about a minute on two
 * cores). The full soak of issue 13 is 50 rounds (about ten minutes):
 * <pre>
 * ./mvnw -o -pl llm-service-cli verify -Dit.test=StoreStormIT -Dtest=none -Dstorm.killRounds=50
 * </pre>
 * {@code -Dstorm.seed=N} replays the kill moments of a run (each run prints its seed).
 *
 * <p>Found by this test, and fixed: with H2's reuse of free file space, a SIGKILL of the daemon while
 * it wrote sometimes left a file that H2 reopened at an older chunk, losing commits that clients
 * had been told succeeded (the next daemon's mark check refused it). The daemon now only appends
 * chunks ({@code REUSE_SPACE=FALSE}, see StoreDaemon); 12- and 50-round runs pass.
 *
 * <p>Every client JVM gets {@code -Dllmservice.store.idleTimeout=20s}, so the daemons these tests
 * start do not outlive them by minutes; each test also stops its daemon at the end.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the stand-in tool is a POSIX shell script; kill -9 semantics")
class StoreStormIT {
    static final int DEFAULT_KILL_ROUNDS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal COST = new BigDecimal("0.0125");
    private static final BigDecimal LIMIT = new BigDecimal("0.10");
    private static final int STORM_CLIENTS = 16;
    private static final int KILL_CLIENTS = 6;
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(120);
    /**
     * What the storm must never show a user: lock, connection and shutdown errors of H2, or a stack
     * trace. Whole words, so the budget refusal's "on exceed block" does not count.
     */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "(?i)\\b(lock|locked|connection|broken|closed)\\b|exception");

    @TempDir
    Path tmp;

    Path home;
    Path work;
    Path store;
    CliRun cli;

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        store = tmp.resolve("store").resolve("telemetry");
        cli = new CliRun(home, work).jvmOption("-Dllmservice.store.idleTimeout=20s");
    }

    @AfterEach
    void tearDown() {
        // Stop the daemon these tests started (the @TempDir's deletion would also end it, a tick later).
        if (Files.exists(work.resolve("llm-service.yaml"))) {
            CliRun.Result stop = cli.run("daemon", "stop");
            System.out.println("[storm] daemon stop: " + stop.stdout().strip());
        }
        cli.close();
    }

    // ---- storm

    /**
     * 16 clients at once on a fresh store, then 16 more on the existing store after its daemon was
     * stopped (so they race to start a daemon on a file with data). Each storm has its own budget,
     * so the second one is not simply refused by the first one's spend.
     */
    @Test
    void storm_sixteenClientsAtOnce_freshThenExistingStore_exitZeroOrBudget_spendEqualsCosts_noLiveReservation()
            throws Exception {
        Storm fresh = storm("fresh", "storm-fresh");
        assertThat(cli.run("daemon", "stop").exitCode()).isZero();
        assertThat(Files.exists(Path.of(store + ".mv.db"))).isTrue();
        Storm existing = storm("existing", "storm-existing");

        // Every invocation record of both storms, refused ones included, and their cost: the records
        // (stats) agree with the ledger (budget_period) and with the tool.
        List<CSVRecord> total = statsRows();
        assertThat(total).hasSize(1);
        assertThat(Long.parseLong(total.get(0).get("requests"))).isEqualTo(2L * STORM_CLIENTS);
        assertThat(new BigDecimal(total.get(0).get("cost_usd")))
                .isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(fresh.ran + existing.ran)));
    }

    private record Storm(int ran, int refused) {
    }

    /**
     * The storm on a fresh store with the budget's {@code reserve_usd} at the call's real cost: every
     * reservation covers its call, so the overrun bound is 0 and the hard limit holds exactly —
     * 8 calls of $0.0125 under $0.10, the other 8 refused.
     */
    @Test
    void storm_reservationsCoveringTheCost_spendNeverPassesTheLimit() throws Exception {
        Storm s = storm("covered", "storm-covered", COST);
        assertThat(s.ran).isEqualTo(8);
        assertThat(s.refused).isEqualTo(STORM_CLIENTS - 8);
    }

    private Storm storm(String label, String budget) throws Exception {
        return storm(label, budget, null);
    }

    private Storm storm(String label, String budget, BigDecimal reserveUsd) throws Exception {
        Path ran = tmp.resolve("ran-" + label);
        config(tool(label, ran), budget, LIMIT, reserveUsd);

        long t0 = System.nanoTime();
        List<CliRun.Running> clients = new ArrayList<>();
        // Back to back: a ProcessBuilder.start takes milliseconds, a JVM start more than a second, so
        // all 16 reach the store together (on two cores, over a few seconds of CPU contention).
        for (int i = 0; i < STORM_CLIENTS; i++) {
            clients.add(cli.start(new byte[0], "exec", label + "-" + i));
        }
        List<CliRun.Result> results = new ArrayList<>();
        for (CliRun.Running c : clients) {
            results.add(CliRun.await(c, CLIENT_TIMEOUT));
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;

        List<Integer> exits = results.stream().map(CliRun.Result::exitCode).toList();
        int ok = (int) exits.stream().filter(e -> e == 0).count();
        int refused = (int) exits.stream().filter(e -> e == ExitCodes.BUDGET_REFUSED).count();
        int lines = lines(ran);

        Ledger ledger = ledger(budget);
        System.out.printf("[storm] %s store: %d clients in %d ms; exits %s; ran %d, refused %d; spent $%s"
                        + " (tool-reported $%s), limit $%s, overrun bound $%s; live reservations %d%n",
                label, STORM_CLIENTS, millis, exits, lines, refused, ledger.spent.toPlainString(),
                COST.multiply(BigDecimal.valueOf(lines)).toPlainString(), LIMIT, ledger.overrunBound.toPlainString(),
                ledger.live);

        // A lock, connection or start-up error of the store exits 1 or 4, never 0 or 3.
        for (CliRun.Result r : results) {
            assertThat(r.exitCode()).as(r.toString()).isIn(ExitCodes.OK, ExitCodes.BUDGET_REFUSED);
            assertThat(r.stderr()).as(r.toString()).doesNotContainPattern(FORBIDDEN);
            if (r.exitCode() == ExitCodes.BUDGET_REFUSED) {
                assertThat(r.stderr()).as(r.toString()).startsWith("error: budget '" + budget + "'");
            }
        }
        // A refused call never runs the tool; a successful one ran it exactly once.
        assertThat(lines).as("lines in the ran file").isEqualTo(ok);
        // The limit fits 8 calls: fewer would mean a reservation leaked or the ledger over-counts.
        // (A refusal saw spent + reserved > limit - estimate, and every reservation ends settled at $0.0125.)
        assertThat(ok).as("calls that ran").isGreaterThanOrEqualTo(8);
        // Every dollar recorded: a settle lost to a closed database or a broken connection, or a
        // settle applied twice by a retry, makes these differ.
        assertThat(ledger.spent).as("ledger spend").isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(lines)));
        assertThat(ledger.settled).as("settled reservations").isEqualTo(lines);
        // The documented bound (docs/budgets.md, "The overspend guarantee"): only the part of a cost
        // above its reservation can pass the limit. Without an atomic check-and-reserve across
        // processes the spend exceeds it (issue 13 measured $0.0625 against $0.05 with 8 clients).
        // On a fresh store without reserve_usd the reservation is the prompt-based estimate (well under
        // $0.0125) and there is no history yet, so the bound is most of each call's cost; with history
        // or reserve_usd covering the cost it is 0 (storm_reservationsCoveringTheCost_...).
        assertThat(ledger.spent).as("spend against limit + overrun bound")
                .isLessThanOrEqualTo(LIMIT.add(ledger.overrunBound));
        // Nothing left holding room: every reservation was settled or released.
        assertThat(ledger.live).as("live reservations").isZero();
        assertThat(ledger.explain).as("route --explain").contains("reserved $0,");
        return new Storm(lines, refused);
    }

    // ---- kill storm

    /**
     * Rounds of {@value #KILL_CLIENTS} clients, some killed with SIGKILL at random moments, and in
     * about half the rounds the daemon too. Afterwards, with the daemon killed once more: the store
     * opens and checks clean; every call whose tool ran is charged (settled, or held by a live
     * reservation that expiry will charge); every client that exited 0 has its record and its
     * settled charge in the store; clients not killed exit 0 with a clean stderr, a daemon killed
     * under them included.
     */
    @Test
    void killStorm_randomKillsOfClientsAndDaemon_storeOpens_everyRunCallCharged_noAcknowledgedRecordLost()
            throws Exception {
        int rounds = Integer.getInteger("storm.killRounds", DEFAULT_KILL_ROUNDS);
        long seed = Long.getLong("storm.seed", System.nanoTime());
        Random random = new Random(seed);
        Path ran = tmp.resolve("ran-kill");
        Path started = tmp.resolve("started-kill");
        // A limit that is never reached: every call reserves and settles, none is refused.
        config(tool("kill", ran, started), "kill-cap", new BigDecimal("1000"));
        System.out.printf("[kill-storm] %d rounds of %d clients, seed %d (-Dstorm.seed=%d replays)%n", rounds,
                KILL_CLIENTS, seed, seed);

        List<String> acknowledged = new ArrayList<>();
        int killedClients = 0;
        AtomicInteger killedDaemons = new AtomicInteger();
        int survivors = 0;
        long t0 = System.nanoTime();
        ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int round = 1; round <= rounds; round++) {
                List<CliRun.Running> clients = new ArrayList<>();
                List<Boolean> doomed = new ArrayList<>();
                for (int i = 0; i < KILL_CLIENTS; i++) {
                    clients.add(cli.start(new byte[0], "exec", "--json", "r" + round + "-c" + i));
                    // A kill anywhere from the JVM's start to after the tool answered (JVM start ~1-4 s
                    // here, the tool 1 s): before the reservation, during the tool, during the settle.
                    boolean kill = random.nextInt(3) == 0;
                    doomed.add(kill);
                    if (kill) {
                        Process p = clients.get(i).process();
                        killer.schedule(p::destroyForcibly, random.nextInt(6_000), TimeUnit.MILLISECONDS);
                    }
                }
                // The daemon in every other round (round 1 included, so the default run has one), at a
                // random moment: while clients start it, reserve, or settle.
                if (round % 2 == 1) {
                    killer.schedule(() -> {
                        if (killDaemon()) {
                            killedDaemons.incrementAndGet();
                        }
                    }, 500 + random.nextInt(5_000), TimeUnit.MILLISECONDS);
                }
                for (int i = 0; i < KILL_CLIENTS; i++) {
                    CliRun.Result r = CliRun.await(clients.get(i), CLIENT_TIMEOUT);
                    if (r.exitCode() == 137 && doomed.get(i)) {
                        killedClients++;
                        continue;
                    }
                    // A client not killed (or killed after it exited) must succeed, daemon kill or not:
                    // clients reconnect to (or start) a new daemon and retry their transactions.
                    survivors++;
                    assertThat(r.exitCode()).as("round " + round + " client " + i + ": " + r).isZero();
                    assertThat(r.stderr()).as(r.toString()).doesNotContainPattern(FORBIDDEN);
                    acknowledged.add(JSON.readTree(r.stdout()).get("request_id").asText());
                }
            }
        } finally {
            killer.shutdownNow();
        }
        // The tools of killed clients run on as orphans: let them finish before counting.
        awaitTools(started, ran, Duration.ofSeconds(10));
        long millis = (System.nanoTime() - t0) / 1_000_000;

        // Killed last thing, so the check below must open the store after a SIGKILL of its owner.
        killDaemon();
        CliRun.Result check = cli.run("telemetry", "check");
        assertThat(check.exitCode()).as(check.toString()).isZero();

        int toolRuns = lines(ran);
        Ledger ledger = ledger("kill-cap");
        System.out.printf("[kill-storm] %d rounds in %d ms: %d clients killed, %d survived (exit 0), daemons killed"
                        + " %d; tools ran %d; reservations settled %d, live %d, released %d;"
                        + " spent $%s, held $%s; check: %s%n", rounds, millis, killedClients, survivors,
                killedDaemons.get(), toolRuns, ledger.settled, ledger.live, ledger.released, ledger.spent.toPlainString(),
                ledger.liveUsd.toPlainString(), check.stdout().strip());

        // Every call whose tool ran is charged: it reserved before the tool started, and that
        // reservation is settled, or still live (charged at expiry). A settle lost, or a reservation
        // released though its tool ran, makes charged < toolRuns.
        assertThat(ledger.settled + ledger.live).as("charged reservations vs tool runs")
                .isGreaterThanOrEqualTo(toolRuns);
        // A settle is the tool's cost, once: a settle applied twice (a retry after a lost answer) or
        // charged without its tool running breaks these.
        assertThat(ledger.settled).as("settled reservations vs tool runs").isLessThanOrEqualTo(toolRuns);
        assertThat(ledger.spent).isEqualByComparingTo(COST.multiply(BigDecimal.valueOf(ledger.settled)));
        // No acknowledged record lost: an exit 0 means its invocation and its charge were committed.
        try (Connection c = connect()) {
            for (String requestId : acknowledged) {
                assertThat(invocationCost(c, requestId)).as("invocation of acknowledged request " + requestId)
                        .hasValueSatisfying(cost -> assertThat(cost).isEqualByComparingTo(COST));
                assertThat(settledUsd(c, requestId)).as("settled charge of acknowledged request " + requestId)
                        .isEqualByComparingTo(COST);
            }
        }
        assertThat(Long.parseLong(statsRows().get(0).get("requests"))).as("stats requests")
                .isGreaterThanOrEqualTo(acknowledged.size());
    }

    // ---- the stand-in tool and the config

    /** A stand-in tool: reads the prompt, sleeps 1 s, appends the prompt to {@code ran}, reports $0.0125. */
    private Path tool(String name, Path ran) throws IOException {
        return tool(name, ran, tmp.resolve("started-" + name));
    }

    private Path tool(String name, Path ran, Path started) throws IOException {
        Path script = tmp.resolve("bin").resolve(name + "-tool");
        CliRun.write(script, """
                #!/bin/sh
                prompt=$(cat)
                echo "$prompt" >> '%s'
                sleep 1
                echo "$prompt" >> '%s'
                printf '{"result":"done %%s","total_cost_usd":0.0125}\\n' "$prompt"
                """.formatted(started, ran));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private void config(Path tool, String budget, BigDecimal limit) {
        config(tool, budget, limit, null);
    }

    /** With {@code reserveUsd}, the budget's {@code reserve_usd}: every call reserves at least that. */
    private void config(Path tool, String budget, BigDecimal limit, BigDecimal reserveUsd) {
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  stand-in:
                    type: cli
                    binary: "%s"
                    models: {claude-haiku-4-5: haiku}
                    output: {format: json, text: "$.result", cost_usd: "$.total_cost_usd"}
                agents:
                  worker: {tool: stand-in, model: claude-haiku-4-5}
                policies:
                  default_agent: worker
                  telemetry: {store: h2, path: "%s"}
                  budgets:
                    - name: %s
                      scope: {}
                      period: daily
                      limit: {usd: %s, type: hard}
                """.formatted(tool, store, budget, limit.toPlainString())
                + (reserveUsd == null ? "" : "      reserve_usd: " + reserveUsd.toPlainString() + "\n"));
    }

    // ---- reading the store

    /** What the ledger holds for one budget (all its periods: a storm runs within one day, or two at midnight). */
    private record Ledger(BigDecimal spent, int settled, int live, int released, BigDecimal liveUsd,
                          BigDecimal overrunBound, String explain) {
    }

    /**
     * Reads the ledger straight from the store (through its daemon, started by {@code route
     * --explain} if it had stopped), and what {@code route --explain} shows for the budget.
     */
    private Ledger ledger(String budget) throws Exception {
        CliRun.Result explain = cli.run("route", "--explain", "x");
        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        String line = explain.stdout().lines().filter(l -> l.contains(budget + " {global}")).findFirst()
                .orElseThrow(() -> new AssertionError("no budget line in " + explain));
        Matcher m = Pattern.compile("spent \\$([0-9.]+), reserved \\$([0-9.]+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        try (Connection c = connect()) {
            BigDecimal spent = one(c, "SELECT COALESCE(SUM(spent_usd), 0) FROM budget_period WHERE budget = ?", budget);
            // The explained period is today's; the ledger's sum covers every period of the budget.
            assertThat(new BigDecimal(m.group(1))).as("route --explain spent vs ledger: " + line)
                    .isEqualByComparingTo(spent);
            return new Ledger(spent,
                    one(c, "SELECT COUNT(*) FROM budget_reservation WHERE budget = ? AND state = 'settled'", budget)
                            .intValueExact(),
                    one(c, "SELECT COUNT(*) FROM budget_reservation WHERE budget = ? AND state = 'live'", budget)
                            .intValueExact(),
                    one(c, "SELECT COUNT(*) FROM budget_reservation WHERE budget = ? AND state = 'released'", budget)
                            .intValueExact(),
                    one(c, "SELECT COALESCE(SUM(amount_usd), 0) FROM budget_reservation WHERE budget = ?"
                            + " AND state = 'live'", budget),
                    // Sum over the budget's calls of max(0, cost - reserved), as docs/budgets.md defines it.
                    one(c, "SELECT COALESCE(SUM(GREATEST(i.cost_usd - i.reserved_usd, 0)), 0) FROM invocation i"
                            + " WHERE i.cost_usd IS NOT NULL AND i.request_id IN (SELECT request_id FROM"
                            + " budget_reservation WHERE budget = ? AND state = 'settled')", budget),
                    line);
        }
    }

    /**
     * A JDBC connection to the store's daemon as any client makes one: its port and key from
     * {@code <path>.daemon}, the password from {@code <path>.credentials}.
     */
    private Connection connect() throws SQLException {
        if (!Files.exists(Path.of(store + ".daemon"))) {
            assertThat(cli.run("route", "x").exitCode()).isZero(); // starts it
        }
        Properties endpoint = properties(Path.of(store + ".daemon"));
        Properties credentials = properties(Path.of(store + ".credentials"));
        return DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + endpoint.getProperty("port") + "/"
                + endpoint.getProperty("key"), credentials.getProperty("user"), credentials.getProperty("password"));
    }

    private static BigDecimal one(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }

    private static Optional<BigDecimal> invocationCost(Connection c, String requestId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT cost_usd FROM invocation WHERE request_id = ? AND outcome = 'success'")) {
            s.setString(1, requestId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getBigDecimal(1)) : Optional.empty();
            }
        }
    }

    private static BigDecimal settledUsd(Connection c, String requestId) throws SQLException {
        return one(c, "SELECT COALESCE(SUM(actual_usd), 0) FROM budget_reservation WHERE request_id = ?"
                + " AND state = 'settled'", requestId);
    }

    private List<CSVRecord> statsRows() throws IOException {
        CliRun.Result r = cli.run("stats", "--format", "csv", "--period", "month");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(r.stdout()))) {
            return parser.getRecords();
        }
    }

    // ---- processes and files

    /** SIGKILLs the store's daemon; false when none was serving it (not started yet, or between two). */
    private boolean killDaemon() {
        try {
            Path endpoint = Path.of(store + ".daemon");
            if (!Files.exists(endpoint)) {
                System.out.println("[kill-storm] no daemon to kill");
                return false;
            }
            long pid = Long.parseLong(properties(endpoint).getProperty("pid"));
            Optional<ProcessHandle> daemon = ProcessHandle.of(pid);
            daemon.ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                System.out.println("[kill-storm] killed daemon pid " + pid);
            });
            return daemon.isPresent();
        } catch (RuntimeException e) {
            System.out.println("[kill-storm] daemon kill skipped: " + e); // e.g. the file was being replaced
            return false;
        }
    }

    /** Waits until every tool that started has appended to {@code ran} (orphans of killed clients included). */
    private static void awaitTools(Path started, Path ran, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines(started) > lines(ran) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(lines(ran)).as("tools that finished vs started").isEqualTo(lines(started));
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? (int) Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties properties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
