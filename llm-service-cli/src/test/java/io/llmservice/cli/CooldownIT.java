package io.llmservice.cli;

import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cooldowns shared through the H2 store by separate processes: each {@code llm-service} run below
 * is its own JVM, and claude is a {@link FakeCli} that answers what real claude 2.1.197 prints for
 * an API that answers 429 or 401 (captured in {@code llm-service-core/src/test/resources/real-cli/}).
 * The three processes that meet the 429s fall back to the backup; the fourth skips claude without
 * starting it, {@code route --explain} and {@code tools} say so with the time left, and
 * {@code tools --reset-cooldown} lets the next process run claude again.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli SHELL mode and the POSIX launcher need sh")
class CooldownIT {
    /** Real claude 2.1.197's output when the API answers 429 (exit status 1). */
    private static final String CLAUDE_429 = """
            {"type":"result","subtype":"success","is_error":true,"api_error_status":429,"duration_ms":687,\
            "duration_api_ms":0,"num_turns":1,"result":"API Error: Request rejected (429) · stub 429",\
            "stop_reason":"stop_sequence","session_id":"93b43a82-396e-4c27-b81f-fbcbe6861a78","total_cost_usd":0,\
            "usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},\
            "modelUsage":{},"permission_denials":[],"uuid":"c869f53c-6fa7-4d8b-b140-97265277fc18"}
            """;
    /** Real claude 2.1.197's output when the API answers 401 (exit status 1). */
    private static final String CLAUDE_401 = """
            {"type":"result","subtype":"success","is_error":true,"api_error_status":401,"duration_ms":755,\
            "duration_api_ms":0,"num_turns":1,"result":"Failed to authenticate. API Error: 401 stub 401",\
            "stop_reason":"stop_sequence","session_id":"2ca310ce-a8ed-4d09-8272-7f57ad5c84c1","total_cost_usd":0,\
            "usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0},\
            "modelUsage":{},"permission_denials":[],"uuid":"50488495-9a9d-4d91-8c66-a232513d8e0b"}
            """;

    @TempDir
    Path tmp;

    Path work;
    CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(Files.createDirectories(tmp.resolve("home")), work);
    }

    @AfterEach
    void tearDown() {
        try {
            cli.run("daemon", "stop");
        } finally {
            cli.close();
        }
    }

    private void config(FakeCli claude, FakeCli backup) {
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  claude-code:
                    extends: claude-code
                    binary: "%s"
                  backup:
                    type: cli
                    binary: "%s"
                    models: {claude-sonnet-4-5: sonnet}
                    output: {format: text}
                agents:
                  coder:
                    tool: claude-code
                    model: claude-sonnet-4-5
                    fallbacks: [{tool: backup, model: claude-sonnet-4-5}]
                policies:
                  default_agent: coder
                  telemetry: {store: h2, path: "%s"}
                  cooldown: {after: 3 failures, for: 5m}
                """.formatted(claude.binary(), backup.binary(), tmp.resolve("store/telemetry")));
    }

    /** Calls of the fake, leaving out the version probes of {@code llm-service tools}. */
    private static long calls(FakeCli fake) {
        return fake.invocations().stream().filter(i -> !i.argv().equals(List.of("--version"))).count();
    }

    private FakeCli backup() {
        return FakeCli.builder().name("backup").stdout("from backup\n").build(tmp.resolve("fakes"));
    }

    @Test
    void threeRateLimitsInThreeProcesses_theFourthSkipsClaude_untilToolsResetCooldown() {
        FakeCli claude = FakeCli.builder().name("claude").stdout(CLAUDE_429).exitCode(1).build(tmp.resolve("fakes"));
        FakeCli backup = backup();
        config(claude, backup);
        for (int i = 0; i < 3; i++) {
            CliRun.Result r = cli.run("exec", "hi " + i);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).contains("from backup");
        }
        assertThat(calls(claude)).isEqualTo(3L);

        CliRun.Result explain = cli.run("route", "--explain", "hi");
        CliRun.Result fourth = cli.run("exec", "hi 3");
        CliRun.Result tools = cli.run("tools");

        assertThat(explain.exitCode()).as(explain.toString()).isZero();
        assertThat(explain.stdout()).as(explain.toString()).containsPattern(
                "chosen: +backup/claude-sonnet-4-5: ").containsPattern(
                "excluded:\n  claude-code/claude-sonnet-4-5: cooling down for (?:5m|4m[0-9]{1,2}s) after 3 failures"
                        + " \\(HTTP 429\\)\n");
        assertThat(fourth.exitCode()).as(fourth.toString()).isZero();
        assertThat(fourth.stdout()).contains("from backup");
        assertThat(calls(claude)).as("the fourth process did not start claude").isEqualTo(3L);
        assertThat(tools.exitCode()).as(tools.toString()).isZero();
        List<String> lines = tools.stdout().lines().toList();
        assertThat(lines.get(0)).matches("TOOL +TYPE +INSTALLED +PATH +VERSION +COOLDOWN");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("claude-code ")
                .containsPattern("claude-sonnet-4-5: (?:5m|4m[0-9]{1,2}s) left, 3 failures \\(HTTP 429\\)$"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("backup ").endsWith(" -"));

        CliRun.Result reset = cli.run("tools", "--reset-cooldown", "claude-code");
        CliRun.Result fifth = cli.run("exec", "hi 4");

        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.stdout()).isEqualTo("cleared 1 cooldown entry of claude-code\n");
        assertThat(fifth.exitCode()).as(fifth.toString()).isZero();
        assertThat(calls(claude)).as("claude runs again after the reset").isEqualTo(4L);
    }

    @Test
    void authenticationFailure_coolsAtOnce_andAnotherApiKeyClearsIt() {
        FakeCli claude = FakeCli.builder().name("claude").stdout(CLAUDE_401).exitCode(1).build(tmp.resolve("fakes"));
        FakeCli backup = backup();
        config(claude, backup);
        cli.env("ANTHROPIC_API_KEY", "sk-ant-api03-first-key-0123456789");

        CliRun.Result failed = cli.run("exec", "hi");
        CliRun.Result skipped = cli.run("exec", "hi again");
        CliRun.Result explain = cli.run("route", "--explain", "hi");

        assertThat(failed.exitCode()).as(failed.toString()).isNotZero();
        assertThat(failed.stderr()).contains("authentication failed");
        assertThat(skipped.exitCode()).as(skipped.toString()).isZero();
        assertThat(skipped.stdout()).contains("from backup");
        assertThat(calls(claude)).isEqualTo(1L);
        assertThat(explain.stdout()).as(explain.toString()).containsPattern("claude-code/claude-sonnet-4-5: cooling"
                + " down for (59m[0-9]{1,2}s|1h) after 1 failure \\(authentication failed \\(HTTP 401\\)\\)");

        cli.env("ANTHROPIC_API_KEY", "sk-ant-api03-second-key-9876543210");
        CliRun.Result newKey = cli.run("exec", "hi with the new key");

        assertThat(calls(claude)).as("another key: the cooldown does not apply").isEqualTo(2L);
        assertThat(newKey.exitCode()).as(newKey.toString()).isNotZero();
        // The store holds a hash of the key, never the key: CooldownKey carries only the fingerprint
        // (ToolFingerprint, CountingFailureTest). The data file is compressed, so its bytes prove nothing.
    }
}
