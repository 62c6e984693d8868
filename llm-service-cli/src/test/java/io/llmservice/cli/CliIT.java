package io.llmservice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmservice.testkit.FakeCli;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real shaded jar, run as a process: every command's happy path, each failure class's exit
 * code, stdin, interrupts, the config round-trip, stats exports and the launcher script. The
 * stand-in tool is a {@link FakeCli} answering with a real captured Claude Code output.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli SHELL mode and the POSIX launcher need sh")
class CliIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path home;
    Path work;
    CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(home, work);
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private FakeCli claude(FakeCli.Builder b) {
        return b.name("claude").build(tmp.resolve("fakes"));
    }

    private FakeCli claudeOk() {
        return claude(FakeCli.builder().stdout(CliRun.claudeSuccess()));
    }

    /** A config in ./llm-service.yaml with agent reviewer on claude-code, whose binary is the fake. */
    private Path config(FakeCli claude, String extra) {
        return CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  claude-code:
                    extends: claude-code
                    binary: "%s"
                  plain:
                    type: cli
                    binary: "%s"
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                agents:
                  reviewer:
                    team: platform
                    tool: claude-code
                    model: claude-sonnet-4-5
                  plain-agent:
                    tool: plain
                    model: claude-haiku-4-5
                policies:
                  default_agent: reviewer
                %s
                """.formatted(claude.binary(), claude.binary(), extra));
    }

    // ---- version

    @Test
    void version_printsVersionCommitAndJava() {
        CliRun.Result r = cli.run("version");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("llm-service \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(lines.get(1)).matches("commit ([0-9a-f]{40}|unknown)");
        assertThat(lines.get(2)).startsWith("java " + Runtime.version().feature());
        assertThat(r.stderr()).isEmpty();
    }

    // ---- exec

    @Test
    void exec_prompt_printsTheToolsText_andSendsThePromptOnStdin() throws Exception {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run("exec", "--agent", "reviewer", "Review this diff");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("STUB-OK\n");
        assertThat(r.stderr()).isEmpty(); // not a terminal: no progress line
        FakeCli.Invocation call = claude.invocations().get(0);
        assertThat(call.stdinText()).isEqualTo("Review this diff");
        assertThat(call.argv()).containsSubsequence("--model", "claude-sonnet-4-5");
        assertThat(call.workingDirectory()).contains(work.toRealPath());
    }

    @Test
    void exec_stdinDash_passesTheBytesExactly_underACLocale() throws Exception {
        FakeCli claude = claudeOk();
        config(claude, "");
        byte[] prompt = "Zeile 1: Grüße, 日本語, emoji \uD83D\uDE00\n\tline 2 with \"quotes\" $HOME `x`\n"
                .getBytes(StandardCharsets.UTF_8);

        CliRun.Result r = cli.run(prompt, "exec", "-");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(claude.invocations().get(0).stdin()).isEqualTo(prompt);
        assertThat(r.stdout()).isEqualTo("STUB-OK\n");
    }

    @Test
    void exec_nonAsciiAnswer_isPrintedAsUtf8() {
        FakeCli plain = claude(FakeCli.builder().stdout("Grüße 日本"));
        config(plain, "");

        CliRun.Result r = cli.run("exec", "--agent", "plain-agent", "hi");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdoutBytes()).isEqualTo("Grüße 日本\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void exec_stdinNotUtf8_isAUsageError_andNothingRuns() {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run(new byte[]{'h', 'i', (byte) 0xff, (byte) 0xfe}, "exec", "-");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: standard input is not valid UTF-8 (4 bytes read)\nhint: ");
        assertThat(claude.invocations()).isEmpty();
    }

    @Test
    void exec_promptStartingWithDashes_goesAfterDoubleDash() {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run("exec", "--", "--help me with this flag");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(claude.invocations().get(0).stdinText()).isEqualTo("--help me with this flag");
    }

    @Test
    void exec_promptStartingWithAt_isNotAnArgumentFile() {
        FakeCli claude = claudeOk();
        config(claude, "");
        CliRun.write(work.resolve("notes.txt"), "SECRET FILE CONTENT");

        CliRun.Result r = cli.run("exec", "@notes.txt");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(claude.invocations().get(0).stdinText()).isEqualTo("@notes.txt");
    }

    @Test
    void exec_newSessionThenSession_printsTheSession_andTheToolResumesIt() throws Exception {
        FakeCli claude = claude(FakeCli.builder().stdout(CliRun.claudeSuccess()).then().stdout(CliRun.claudeSuccess()));
        config(claude, "");

        CliRun.Result first = cli.run("exec", "--agent", "reviewer", "--new-session", "Read Main.java");
        CliRun.Result second = cli.run("exec", "--json", "--agent", "reviewer", "--session",
                "claude-code:89deaf8d-0041-4364-8e81-a3a5d3e7c814", "Now add a test");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).isEqualTo("STUB-OK\n");
        assertThat(first.stderr()).isEqualTo("session: claude-code:89deaf8d-0041-4364-8e81-a3a5d3e7c814\n");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(JSON.readTree(second.stdout()).get("session").asText())
                .isEqualTo("claude-code:89deaf8d-0041-4364-8e81-a3a5d3e7c814");
        assertThat(claude.invocations().get(0).argv()).doesNotContain("--no-session-persistence", "--resume");
        assertThat(claude.invocations().get(1).argv()).containsSubsequence("--resume",
                "89deaf8d-0041-4364-8e81-a3a5d3e7c814");
    }

    @Test
    void exec_json_hasTheDocumentedSchema() throws Exception {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run("exec", "--json", "--agent", "reviewer", "--timeout", "90s", "Review");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode json = JSON.readTree(r.stdout());
        assertThat(fieldNames(json)).containsExactly("request_id", "text", "tool", "model", "reported_model", "usage",
                "cost_usd", "cost_source", "latency_ms", "model_usage", "attempts", "session", "warnings");
        assertThat(json.get("request_id").asText()).isNotBlank();
        assertThat(json.get("text").asText()).isEqualTo("STUB-OK");
        assertThat(json.get("tool").asText()).isEqualTo("claude-code");
        assertThat(json.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(json.get("reported_model").asText()).isEqualTo("claude-sonnet-5");
        assertThat(fieldNames(json.get("usage"))).containsExactly("input_tokens", "output_tokens",
                "cache_read_tokens", "cache_write_tokens");
        assertThat(json.get("usage").get("input_tokens").asLong()).isEqualTo(123);
        assertThat(json.get("usage").get("output_tokens").asLong()).isEqualTo(45);
        assertThat(json.get("cost_usd").decimalValue()).isEqualByComparingTo("0.001044");
        assertThat(json.get("cost_source").asText()).isEqualTo("tool_reported");
        // claude's modelUsage: one model, the alias resolved to an id the catalogue does not know; it
        // served the requested model, so its share is booked there (reported_model keeps the real id)
        assertThat(json.get("model_usage")).hasSize(1);
        assertThat(json.get("model_usage").get(0).get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(json.get("model_usage").get(0).at("/usage/input_tokens").asLong()).isEqualTo(123);
        assertThat(json.get("latency_ms").isIntegralNumber()).isTrue();
        JsonNode attempt = json.get("attempts").get(0);
        assertThat(json.get("attempts")).hasSize(1);
        assertThat(fieldNames(attempt)).containsExactly("number", "tool", "model", "outcome", "latency_ms",
                "exit_code", "error_code", "error");
        assertThat(attempt.get("number").asInt()).isEqualTo(1);
        assertThat(attempt.get("outcome").asText()).isEqualTo("success");
        assertThat(attempt.get("exit_code").asInt()).isZero();
        assertThat(attempt.get("error_code").isNull()).isTrue();
        assertThat(attempt.get("error").isNull()).isTrue();
    }

    @Test
    void exec_json_unknownUsageAndCost_areNull() throws Exception {
        FakeCli plain = claude(FakeCli.builder().stdout("plain answer"));
        config(plain, "");

        CliRun.Result r = cli.run("exec", "--json", "--agent", "plain-agent", "hi");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode json = JSON.readTree(r.stdout());
        assertThat(json.get("text").asText()).isEqualTo("plain answer");
        json.get("usage").forEach(n -> assertThat(n.isNull()).isTrue());
        assertThat(json.get("cost_usd").isNull()).isTrue();
        assertThat(json.get("cost_source").asText()).isEqualTo("unknown");
        assertThat(json.get("reported_model").isNull()).isTrue();
    }

    @Test
    void exec_toolExitsNonZero_exit1_oneLineAndHint_noStackTrace() {
        FakeCli claude = claude(FakeCli.builder().stderr("boom: something broke\nsecond line\n").exitCode(3));
        config(claude, "");

        CliRun.Result r = cli.run("exec", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("error: ").contains("exited with status 3").contains("boom: something broke")
                .endsWith("[LLM-032]");
        assertThat(lines.get(1)).startsWith("hint: ");
        assertThat(r.stderr()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void exec_verbose_addsTheStackTrace() {
        FakeCli claude = claude(FakeCli.builder().stderr("boom").exitCode(3));
        config(claude, "");

        CliRun.Result r = cli.run("exec", "--verbose", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).contains("error: ", "hint: ", "\tat ", "config: " + work.resolve("llm-service.yaml"));
        assertThat(r.stderr()).as("library debug logging is on").contains("[DEBUG] ");
    }

    @Test
    void exec_verboseBeforeTheCommand_configLineOnce_andNoOtherLibrarysBannerAsOurs() {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run("--verbose", "exec", "hi");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr().lines().filter(l -> l.startsWith("config: "))).as(r.toString()).hasSize(1);
        assertThat(r.stderr()).as("debug logging is on").contains("[DEBUG] ");
        // "[INFO] HV000001: Hibernate Validator 8.0.2.Final" read as the version of llm-service.
        assertThat(r.stderr()).doesNotContain("HV000001", "Hibernate Validator", "Flyway");
    }

    @Test
    void exec_invalidConfig_exit2_everyProblemWithFileLineColumn() {
        CliRun.write(work.resolve("llm-service.yaml"), """
                agents:
                  reviewer:
                    tool: claude-cod
                    model: claude-sonnet-4-5
                    colour: blue
                """);

        CliRun.Result r = cli.run("exec", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines.get(0)).isEqualTo("error: invalid configuration: 2 problems [LLM-001]");
        String file = work.resolve("llm-service.yaml").toString();
        assertThat(lines.get(1)).startsWith(file + ":3:").contains("agents.reviewer.tool");
        assertThat(lines.get(2)).startsWith(file + ":5:").contains("colour");
        assertThat(lines.get(3)).startsWith("hint: ");
        assertThat(lines).hasSize(4);
    }

    @Test
    void telemetryCheck_noStoreAtThePath_exit1_andCreatesNothing() throws Exception {
        config(claudeOk(), "  telemetry: {store: h2, path: " + tmp.resolve("store/telemetry") + "}\n");
        Files.createDirectories(tmp.resolve("store"));

        CliRun.Result check = cli.run("telemetry", "check");

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.stdout()).contains("no 'h2' store at " + tmp.resolve("store/telemetry") + ": "
                + tmp.resolve("store/telemetry.mv.db") + " does not exist (nothing was created)");
        try (java.util.stream.Stream<Path> files = Files.list(tmp.resolve("store"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void telemetryCheck_healthyStore_exit0_ok_damagedStore_exitNonZero_oneLineNamingTheFile() throws Exception {
        FakeCli claude = claudeOk();
        config(claude, "  telemetry: {store: h2, path: " + tmp.resolve("telemetry") + "}\n");
        Path data = tmp.resolve("telemetry.mv.db");
        try {
            byte[] older = null;
            for (int i = 0; i < 3; i++) {
                CliRun.Result exec = cli.run("exec", "hi " + i);
                assertThat(exec.exitCode()).as(exec.toString()).isZero();
                if (i == 0) {
                    assertThat(cli.run("daemon", "stop").exitCode()).isZero();
                    older = Files.readAllBytes(data);
                }
            }
            CliRun.Result healthy = cli.run("telemetry", "check");
            assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
            assertThat(healthy.stdout()).contains("ok: " + data);

            CliRun.Result stop = cli.run("daemon", "stop");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            // What H2 reads from a file whose newest chunks were lost: an older state of the store. (A
            // small store cut in half after a clean stop still holds its whole last state, as
            // StoreCorruptionIT shows, so this is what a damaged file looks like to the check.)
            Files.write(data, older);

            CliRun.Result damaged = cli.run("telemetry", "check");

            assertThat(damaged.exitCode()).as(damaged.toString()).isNotZero();
            // One error line, then the CLI's usual hint line.
            assertThat(damaged.stderr().strip().lines().filter(l -> !l.startsWith("hint: ")).toList())
                    .as(damaged.toString()).singleElement().asString()
                    .startsWith("error: telemetry database " + data + " is damaged and was not opened: ")
                    .contains("Restore it from a backup", "move " + data + " aside");
            assertThat(damaged.stderr()).doesNotContain("\tat ", "Exception", "org.h2");
            assertThat(Files.readAllBytes(data)).isEqualTo(older);
        } finally {
            cli.run("daemon", "stop");
        }
    }

    @Test
    void exec_invalidConfigWithAnExistingStore_exit2_leavesTheStoreClosed_andTheNextCallWorks() {
        // An existing store starts opening before the constraints are validated; a load that then fails
        // must close it before the process exits, or H2's lock file would be left behind.
        FakeCli claude = claudeOk();
        String telemetry = "  telemetry: {store: h2, path: " + tmp.resolve("telemetry") + "}\n";
        config(claude, telemetry);
        assertThat(cli.run("exec", "hi").exitCode()).isZero();
        assertThat(tmp.resolve("telemetry.mv.db")).exists();

        config(claude, telemetry + "  max_reservation_usd: -1\n");   // only the validator finds this one
        CliRun.Result bad = cli.run("exec", "hi");

        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.stderr()).contains("policies.max_reservation_usd");
        assertThat(tmp.resolve("telemetry.lock.db")).doesNotExist();
        config(claude, telemetry);
        CliRun.Result again = cli.run("exec", "hi");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(claude.invocations()).hasSize(2);
    }

    @Test
    void exec_unknownAgent_exit2_listsTheAgents_andNothingRuns() {
        FakeCli claude = claudeOk();
        config(claude, "");

        CliRun.Result r = cli.run("exec", "--agent", "reviewr", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: unknown agent 'reviewr'; configured agents: reviewer, plain-agent;"
                + " did you mean 'reviewer'? [LLM-004]\nhint: ");
        assertThat(claude.invocations()).isEmpty();
    }

    @Test
    void exec_badOption_exit2_oneLineAndHint() {
        CliRun.Result r = cli.run("exec", "--complexity", "extreme", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).hasSize(2);
        assertThat(r.stderr()).startsWith("error: ").contains("--complexity").contains("hint: ");
    }

    @Test
    void exec_noConfigurationAnywhere_exit2_pointsAtConfigInit() {
        CliRun.Result r = cli.run("exec", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: no configuration found").contains("llm-service config init");
    }

    @Test
    void exec_findsTheConfigThroughTheVariable_thenTheUserDirectory() {
        FakeCli claude = claudeOk();
        Path file = config(claude, "");
        Path elsewhere = tmp.resolve("elsewhere.yaml");
        copy(file, elsewhere);
        delete(file);

        CliRun.Result viaVariable = cli.env(ConfigLocator.VARIABLE, elsewhere.toString()).run("exec", "hi");
        assertThat(viaVariable.exitCode()).as(viaVariable.toString()).isZero();

        CliRun noVariable = new CliRun(home, work);
        copy(elsewhere, home.resolve(".config/llm-service/llm-service.yaml"));
        CliRun.Result viaHome = noVariable.run("exec", "--verbose", "hi");
        noVariable.close();
        assertThat(viaHome.exitCode()).as(viaHome.toString()).isZero();
        assertThat(viaHome.stderr()).contains("(from ~/.config/llm-service/)");
    }

    @Test
    void exec_hardBudgetRefuses_exit3_andTheToolNeverRuns() {
        FakeCli claude = claudeOk();
        config(claude, """
                  budgets:
                    - name: tiny
                      scope: {}
                      period: daily
                      limit: {usd: 0.000001, type: hard}
                """);

        CliRun.Result r = cli.run("exec", "Review this diff");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.stderr()).startsWith("error: budget 'tiny'").contains("[LLM-020]");
        assertThat(claude.invocations()).isEmpty();
    }

    @Test
    void exec_softBudgetCrossed_eachWarningOnce_andNoReservationNoise() {
        FakeCli claude = claudeOk();
        config(claude, """
                  budgets:
                    - name: soft
                      scope: {}
                      period: daily
                      limit: {usd: 0.000001, type: soft}
                """);

        CliRun.Result r = cli.run("exec", "Review this diff");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // One line per event, in the command's own form; not also the library's "[WARN] LLM-020 ..." log line,
        // nor a "[WARN] ... above its reservation" line the user cannot act on.
        assertThat(r.stderr().lines()).as(r.toString()).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("warning: budget 'soft'").endsWith(" [LLM-020]"));
        assertThat(r.stderr()).doesNotContain("[WARN]", "above its reservation");
    }

    /**
     * Java can only send SIGTERM ({@link Process#destroy()}); SIGTERM runs the same shutdown hook
     * as Ctrl-C's SIGINT, which cancels the call and exits 130 while a call runs.
     */
    @Test
    void exec_terminated_killsTheToolsProcessTree_exit130() throws Exception {
        FakeCli claude = claude(FakeCli.builder().delay(Duration.ofSeconds(60)).spawnGrandchild(Duration.ofSeconds(60))
                .stdout(CliRun.claudeSuccess()));
        config(claude, "");
        CliRun.Running p = cli.start(new byte[0], "exec", "hi");
        FakeCli.Invocation call = awaitRunning(claude);

        // Through the handle: Process.destroy() would also close our end of the pipes, losing the output.
        p.process().toHandle().destroy();
        CliRun.Result r = CliRun.await(p, Duration.ofSeconds(30));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(130);
        assertThat(r.stderr()).as(r.toString()).contains("interrupted");
        awaitGone(call.pid());
        for (long child : call.childPids()) {
            awaitGone(child);
        }
    }

    /**
     * SIGTERM while the tool runs: the cancelled attempt is recorded and the store flushed and closed before
     * the process exits 130, every time. Before, H2's own shutdown hook closed the database while ours was
     * still writing, and only about 1 in 5 of these records survived.
     */
    @Test
    void exec_terminatedFiveTimes_everyCancelledCallIsInStats() throws Exception {
        FakeCli claude = claude(FakeCli.builder().delay(Duration.ofSeconds(60)).stdout(CliRun.claudeSuccess()));
        config(claude, "  telemetry: {store: h2, path: " + tmp.resolve("telemetry") + "}\n");

        for (int round = 0; round < 5; round++) {
            CliRun.Running p = cli.start(new byte[0], "exec", "hi " + round);
            awaitSleeping(claude, round);
            p.process().toHandle().destroy();   // SIGTERM
            CliRun.Result r = CliRun.await(p, Duration.ofSeconds(30));
            assertThat(r.exitCode()).as("round %d: %s", round, r).isEqualTo(130);
            assertThat(r.stderr()).as("round %d: %s", round, r).contains("interrupted")
                    .doesNotContain("[ERROR]", "[WARN]", "closed");
        }

        CliRun.Result stats = cli.run("stats", "--format", "csv", "--by", "agent");
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(stats.stdout()))) {
            CSVRecord row = parser.getRecords().get(0);
            assertThat(row.get("group")).as(stats.toString()).isEqualTo("reviewer");
            assertThat(row.get("requests")).as(stats.toString()).isEqualTo("5");
            assertThat(row.get("succeeded")).as(stats.toString()).isEqualTo("0");
        }
    }

    // ---- a record that cannot be written

    /** About 3 MB of text that does not compress: with privacy: full it has to be written to the store. */
    private static String bigAnswer() {
        java.util.Random random = new java.util.Random(13);
        StringBuilder b = new StringBuilder(3_000_000);
        for (int line = 0; line < 30_000; line++) {
            for (int i = 0; i < 99; i++) {
                b.append((char) ('a' + random.nextInt(26)));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * The CLI under a 1 MiB file size limit ({@code ulimit -f}), as a full disk would be: the store opens
     * (a new one is ~0.2 MB), then the record of a 3 MB answer cannot be written.
     */
    private CliRun.Result execWithFullDisk(String... options) {
        FakeCli plain = claude(FakeCli.builder().stdout(bigAnswer()));
        config(plain, "  telemetry: {store: h2, path: " + tmp.resolve("telemetry") + ", privacy: full}\n");
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", "ulimit -f 1024 && exec \"$@\"", "bash",
                CliRun.JAVA.toString()));
        command.addAll(CliRun.LAUNCHER_DEFAULTS);
        command.addAll(List.of("-Duser.home=" + home, "-jar", CliRun.JAR.toString(), "exec", "--agent", "plain-agent"));
        command.addAll(List.of(options));
        command.add("hi");
        return cli.runProgram(command);
    }

    @Test
    void exec_recordCannotBeWritten_printsTheAnswer_thenOneErrorLine_exit1() {
        CliRun.Result r = execWithFullDisk();

        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).isEqualTo(bigAnswer());
        List<String> errors = r.stderr().lines().filter(l -> l.startsWith("error: ")).toList();
        assertThat(errors).as(r.stderr()).singleElement().satisfies(e -> assertThat(e)
                .contains("could not be", tmp.resolve("telemetry").toString(), "lost").endsWith("[LLM-050]"));
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines.get(lines.indexOf(errors.get(0)) + 1)).startsWith("hint: ");
    }

    @Test
    void exec_storeFails_noStackTraceWithoutVerbose_butWithIt() {
        CliRun.Result quiet = execWithFullDisk();
        CliRun.Result verbose = execWithFullDisk("--verbose");

        assertThat(quiet.exitCode()).as(quiet.stderr()).isNotZero();
        assertThat(quiet.stderr()).as("the failure is reported").contains("[LLM-050]");
        assertThat(quiet.stderr().lines()).as(quiet.stderr()).noneMatch(l -> l.matches("\\s+at .*")
                || l.startsWith("Caused by") || l.matches("\\s*\\.\\.\\. \\d+ more")
                || l.matches("[\\w.$]+(Exception|Error)(: .*)?"));
        assertThat(verbose.stderr()).as(verbose.stderr()).containsPattern("\n\\s+at org\\.h2\\.");
    }

    // ---- route

    @Test
    void route_explain_showsChosenExcludedAndWhy_withoutRunningAnything() {
        FakeCli claude = claudeOk();
        config(claude, "  routing: {strategy: preference}");
        CliRun.write(work.resolve("llm-service.yaml"), read(work.resolve("llm-service.yaml")).replace("""
                    model: claude-sonnet-4-5
                """, """
                    model: claude-sonnet-4-5
                    fallbacks: [{tool: codex, model: gpt-5-codex}]
                """));

        CliRun.Result plain = cli.run("route", "hi");
        CliRun.Result r = cli.run("route", "--explain", "--agent", "reviewer", "hi");

        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.stdout()).isEqualTo("claude-code/claude-sonnet-4-5\n");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("agent:     reviewer", "strategy:  preference",
                "chosen:    claude-code/claude-sonnet-4-5: ", "excluded:\n  codex/gpt-5-codex: not installed",
                "budgets: none applies");
        assertThat(claude.invocations()).isEmpty();
    }

    // ---- config

    @Test
    void configInit_detectsInstalledTools_thenValidates_andNeverOverwritesWithoutForce() throws Exception {
        FakeCli claude = FakeCli.builder().name("claude").build(tmp.resolve("bin"));
        FakeCli codex = FakeCli.builder().name("codex").build(tmp.resolve("bin"));
        cli.env("PATH", claude.binary().getParent() + ":" + codex.binary().getParent() + ":/usr/bin:/bin");

        CliRun.Result init = cli.run("config", "init");
        CliRun.Result validate = cli.run("config", "validate");
        CliRun.Result again = cli.run("config", "init");
        CliRun.Result forced = cli.run("config", "init", "--force");

        assertThat(init.exitCode()).as(init.toString()).isZero();
        Path file = work.resolve("llm-service.yaml");
        assertThat(init.stdout()).startsWith("wrote " + file + "\n")
                .contains("claude: found at " + claude.binary() + " -> agent 'claude'")
                .contains("codex: found at " + codex.binary() + " -> agent 'codex'")
                .contains("gemini: not found on PATH");
        String yaml = read(file);
        assertThat(yaml).contains("  claude:\n", "  codex:\n", "default_agent: claude")
                .contains("- {tool: codex, model: gpt-5-codex}").doesNotContain("  gemini:\n");
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.stdout()).isEqualTo("valid: 2 agents, 3 tools, 9 models, 0 budgets, 0 rate limits ("
                + file + ")\n");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
        assertThat(again.stderr()).startsWith("error: " + file + " already exists; not overwritten\nhint: pass --force");
        assertThat(read(file)).isEqualTo(yaml);
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
    }

    @Test
    void configInit_noToolInstalled_stillWritesAValidFile() {
        Path dir = home.resolve(".config/llm-service");

        CliRun.Result init = cli.run("config", "init", dir.toString());
        CliRun.Result validate = cli.run("config", "validate"); // found through ~/.config/llm-service/

        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(read(dir.resolve("llm-service.yaml"))).contains("None of claude, codex or gemini was found on PATH");
        assertThat(validate.exitCode()).as(validate.toString()).isZero();
        assertThat(validate.stdout()).startsWith("valid: 1 agent, ");
    }

    @Test
    void configValidate_invalid_everyProblemOnItsOwnLine_exit2() {
        Path file = CliRun.write(tmp.resolve("bad.yaml"), """
                tools:
                  codex: {extends: codex, timeout: -5s}
                agents:
                  a: {tool: nope, model: claude-sonnet-4-5}
                """);

        CliRun.Result r = cli.run("config", "validate", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines.get(0)).startsWith(file + ":2:").contains("tools.codex.timeout");
        assertThat(lines.get(1)).startsWith(file + ":4:").contains("agents.a.tool");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("invalid: " + (lines.size() - 1) + " problems in " + file);
    }

    // ---- tools

    @Test
    void tools_showsInstalledPathAndVersion_inAnAlignedTable_probingWithoutTheParentsSecrets() {
        FakeCli claude = claude(FakeCli.builder().stdout("2.1.197 (Claude Code)\nmore\n"));
        config(claude, "");
        cli.env("AWS_SECRET_ACCESS_KEY", "parent-secret-value");

        // The tools command opens the telemetry store, where cooldowns are kept (CooldownIT shows them): for H2
        // that starts its daemon, stopped whatever the assertions say.
        try {
            CliRun.Result r = cli.run("tools");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            List<String> lines = r.stdout().lines().toList();
            assertThat(lines.get(0)).matches("TOOL +TYPE +INSTALLED +PATH +VERSION +COOLDOWN");
            assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                    "claude-code +cli +yes +" + java.util.regex.Pattern.quote(claude.binary().toString())
                            + " +2\\.1\\.197 \\(Claude Code\\) +-"));
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("codex +cli +no +codex \\(not found\\) +- +-"));
            int column = lines.get(0).indexOf("INSTALLED");
            assertThat(lines.subList(1, lines.size()))
                    .allSatisfy(l -> assertThat(l.charAt(column - 1)).isEqualTo(' '));
            assertThat(claude.invocations().get(0).argv()).containsExactly("--version");
            assertThat(claude.invocations().get(0).environment()).doesNotContainKey("AWS_SECRET_ACCESS_KEY")
                    .doesNotContainValue("parent-secret-value");
        } finally {
            cli.run("daemon", "stop");
        }
    }

    // ---- stats

    @Test
    void stats_csvAndJson_parseBack_andAgreeWithTheRecords() throws Exception {
        config(claudeOk(), "");

        CliRun.Result csv = cli.run("stats", "--format", "csv", "--by", "model", "--period", "day");
        CliRun.Result json = cli.run("stats", "--format", "json", "--since", "2026-11-01", "--until",
                "2026-12-01T00:00:00Z");
        CliRun.Result table = cli.run("stats");

        // A fresh telemetry path: no records yet (stats_acrossProcesses_countsWhatExecRecorded has some).
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(csv.stdout()))) {
            assertThat(parser.getHeaderNames()).containsExactly("period", "group", "requests", "succeeded",
                    "success_rate", "attempts", "input_tokens", "output_tokens", "cache_read_tokens",
                    "cache_write_tokens", "cost_usd", "p50_latency_ms", "p95_latency_ms");
            List<CSVRecord> rows = parser.getRecords();
            assertThat(rows).isEmpty();
        }
        assertThat(json.exitCode()).as(json.toString()).isZero();
        JsonNode doc = JSON.readTree(json.stdout());
        assertThat(doc.get("query").get("period").asText()).isEqualTo("month");
        assertThat(doc.get("query").get("group_by").asText()).isEqualTo("agent");
        assertThat(doc.get("query").get("since").asText()).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(doc.get("query").get("until").asText()).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(doc.get("rows")).isEmpty();
        // h2 is the command's default store: no "memory store" note
        assertThat(json.stderr()).doesNotContain("note: the 'memory' telemetry store");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.stdout().lines().findFirst().orElseThrow()).matches("PERIOD +AGENT +REQUESTS +OK% .*P95_MS");
    }

    @Test
    void stats_output_writesTheFile() throws Exception {
        config(claudeOk(), "");

        CliRun.Result r = cli.run("stats", "--format", "csv", "--output", "spend.csv");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(read(work.resolve("spend.csv"))).startsWith("period,group,requests,");
    }

    @Test
    void stats_badDate_exit2() {
        config(claudeOk(), "");

        CliRun.Result r = cli.run("stats", "--since", "last tuesday");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: --since 'last tuesday' is not a date or an instant\nhint: ");
    }

    @Test
    void stats_acrossProcesses_countsWhatExecRecorded() throws Exception {
        config(claudeOk(), """
                  telemetry: {store: h2, path: %s}
                """.formatted(tmp.resolve("telemetry")));
        assertThat(cli.run("exec", "hi").exitCode()).isZero();
        assertThat(cli.run("exec", "hi again").exitCode()).isZero();

        CliRun.Result r = cli.run("stats", "--format", "csv", "--by", "agent");

        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(r.stdout()))) {
            CSVRecord row = parser.getRecords().get(0);
            assertThat(row.get("group")).isEqualTo("reviewer");
            assertThat(row.get("requests")).isEqualTo("2");
            assertThat(row.get("input_tokens")).isEqualTo("246");
            assertThat(row.get("cost_usd")).isEqualTo("0.002088");
        }
    }

    @Test
    void routeExplain_showsBudgetHeadroomAfterSpend() {
        config(claudeOk(), """
                  telemetry: {store: h2, path: %s}
                  budgets:
                    - name: daily-cap
                      scope: {}
                      period: daily
                      limit: {usd: 1.00, type: hard}
                """.formatted(tmp.resolve("telemetry")));
        assertThat(cli.run("exec", "hi").exitCode()).isZero();

        CliRun.Result r = cli.run("route", "--explain", "hi");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        // the stand-in claude reports total_cost_usd 0.001044
        assertThat(r.stdout()).containsPattern("daily-cap \\{global\\}: daily limit \\$1.00 hard, on exceed block; "
                + "daily \\d{4}-\\d{2}-\\d{2}: spent \\$0.001044, reserved \\$0, headroom \\$0.998956$");
    }

    @Test
    void prune_deletesRecordsOlderThanTheAge_andStatsKeepTheQuarterHourTheCutoffCutsWhole() throws Exception {
        config(claudeOk(), """
                  telemetry: {store: h2, path: %s}
                """.formatted(tmp.resolve("telemetry")));
        assertThat(cli.run("exec", "hi").exitCode()).isZero();
        assertThat(cli.run("exec", "hi again").exitCode()).isZero();

        CliRun.Result keep = cli.run("prune", "--older-than", "1d");
        CliRun.Result drop = cli.run("prune", "--older-than", "1ms");
        CliRun.Result bad = cli.run("prune", "--older-than", "soon");
        CliRun.Result stats = cli.run("stats", "--format", "csv");

        assertThat(keep.stdout()).as(keep.toString()).startsWith("deleted 0 record(s) that started before ");
        assertThat(drop.stdout()).as(drop.toString()).startsWith("deleted 2 record(s) that started before ");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        // Stats read quarter-hour rollups: the quarter-hour the cutoff cuts through stays whole
        // (docs/telemetry.md), so the two calls of this quarter-hour still count, both or (when the
        // quarter-hour ended before the prune) neither - never one.
        assertThat(stats.exitCode()).as(stats.toString()).isZero();
        List<String> rows = stats.stdout().lines().skip(1).toList();
        assertThat(rows).as(stats.toString()).satisfiesAnyOf(
                r -> assertThat(r).isEmpty(),
                r -> assertThat(r).singleElement(as(InstanceOfAssertFactories.STRING)).matches("\\d{4}-\\d{2},reviewer,2,2,.*"));
    }

    // ---- launcher script

    @Test
    void launcher_worksFromAnotherDirectory_inAPathWithSpaces_andThroughASymlink() throws Exception {
        Path install = tmp.resolve("my tools/llm service");
        Path bin = Files.createDirectories(install.resolve("bin"));
        Path lib = Files.createDirectories(install.resolve("lib"));
        Path script = Files.copy(CliRun.DIST.resolve("bin/llm-service"), bin.resolve("llm-service"));
        script.toFile().setExecutable(true);
        Files.copy(CliRun.JAR, lib.resolve("llm-service.jar"));
        Path sideBySide = Files.createDirectories(tmp.resolve("side by side"));
        Files.copy(script, sideBySide.resolve("llm-service"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(CliRun.JAR, sideBySide.resolve("llm-service.jar"));
        Path links = Files.createDirectories(tmp.resolve("links dir"));
        Path link = Files.createSymbolicLink(links.resolve("llm-service"), script);
        FakeCli claude = claudeOk();
        config(claude, "");
        Path other = Files.createDirectories(tmp.resolve("some other dir"));
        cli.env("JAVA_HOME", System.getProperty("java.home")).env("JAVA_OPTS", "-Xshare:auto -Duser.home=" + home);

        CliRun.Result installed = cli.workingDirectory(other).runProgram(List.of(script.toString(), "version"));
        CliRun.Result beside = cli.runProgram(List.of(sideBySide.resolve("llm-service").toString(), "version"));
        CliRun.Result linked = cli.runProgram(List.of(link.toString(), "version"));
        CliRun.Result exec = cli.workingDirectory(work).runProgram(List.of(link.toString(), "exec", "a prompt"));

        for (CliRun.Result r : List.of(installed, beside, linked)) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).startsWith("llm-service ");
        }
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.stdout()).isEqualTo("STUB-OK\n");
    }

    @Test
    void launcher_badJavaHome_saysSo_exit2() throws Exception {
        Path script = Files.copy(CliRun.DIST.resolve("bin/llm-service"), tmp.resolve("llm-service"));
        script.toFile().setExecutable(true);
        Files.copy(CliRun.JAR, tmp.resolve("llm-service.jar"));

        CliRun.Result r = cli.env("JAVA_HOME", tmp.resolve("no java here").toString())
                .runProgram(List.of(script.toString(), "version"));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("error: JAVA_HOME is set to '" + tmp.resolve("no java here") + "'");
    }

    // ---- helpers

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static FakeCli.Invocation awaitRunning(FakeCli fake) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<FakeCli.Invocation> calls = fake.invocations();
            if (!calls.isEmpty() && calls.get(0).grandchildPid().isPresent() && calls.get(0).delayPid().isPresent()) {
                return calls.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the fake tool was not started within 30 s");
    }

    /** Waits until the fake's call number {@code index} (from 0) is sleeping in its delay. */
    private static void awaitSleeping(FakeCli fake, int index) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<FakeCli.Invocation> calls = fake.invocations();
            if (calls.size() > index && calls.get(index).delayPid().isPresent()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("call " + index + " of the fake tool did not start within 30 s");
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (FakeCli.isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                throw new AssertionError("process " + pid + " is still running after the CLI exited");
            }
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        CliRun.write(to, read(from));
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
