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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fallback chain that ends without an answer, as the CLI user sees it: every attempt on its own
 * line (tool/model, outcome, time, reason, hint) and every candidate skipped before running with
 * why, not only the last attempt's error. The tools are {@link FakeCli} processes run by the real jar.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli SHELL mode and the POSIX launcher need sh")
class FallbackChainIT {
    /** How claude says it has no credentials (claude 2.1.x, exit 1). */
    private static final String NOT_LOGGED_IN = "Invalid API key · Please run /login";

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
        cli.close();
    }

    private void config(String primaryBinary, FakeCli backup) {
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  primary:
                    type: cli
                    binary: "%s"
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                  backup:
                    type: cli
                    binary: "%s"
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                agents:
                  coder:
                    tool: primary
                    model: claude-haiku-4-5
                    fallbacks: [{tool: backup, model: claude-haiku-4-5}]
                """.formatted(primaryBinary, backup.binary()));
    }

    @Test
    void exec_primaryFailsRetriably_thenFallbackFailsOnAuth_bothAttemptsPrinted_oneLineEach() {
        FakeCli primary = FakeCli.builder().name("primary").delay(Duration.ofMillis(1200))
                .stderr("upstream said: 503 Service Unavailable\n").exitCode(1).build(tmp.resolve("fakes"));
        FakeCli backup = FakeCli.builder().name("backup").stderr(NOT_LOGGED_IN + "\n").exitCode(1)
                .build(tmp.resolve("fakes"));
        config(primary.binary().toString(), backup);

        CliRun.Result r = cli.run("exec", "--agent", "coder", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(primary.invocationCount()).isEqualTo(1);
        assertThat(backup.invocationCount()).isEqualTo(1);
        List<String> lines = r.stderr().lines().filter(l -> !l.startsWith("[")).toList();
        assertThat(lines).as(r.toString()).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("error: agent 'coder': every candidate failed (2 attempts) [LLM-040]");
        assertThat(lines.get(1)).as("the primary's retriable failure is not hidden behind the last one")
                .matches("  #1 primary/claude-haiku-4-5 failed \\(exit 1\\) after \\d+(\\.\\d)? m?s: .*")
                .contains("503 Service Unavailable").endsWith("[LLM-032]");
        assertThat(lines.get(2))
                .matches("  #2 backup/claude-haiku-4-5 failed \\(exit 1\\) after \\d+(\\.\\d)? m?s: .*")
                .contains("authentication failed", "Please run /login", "[LLM-034]; hint: log the tool in");
        assertThat(lines.get(3)).startsWith("hint: log the tool in");
        assertThat(r.stderr()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void exec_primaryNotInstalled_fallbackFails_namesThePrimaryItsBinaryAndWhereItWasLookedFor() {
        FakeCli backup = FakeCli.builder().name("backup").stderr("upstream said: 503 Service Unavailable\n")
                .exitCode(1).build(tmp.resolve("fakes"));
        config("llm-primary-not-here", backup);

        CliRun.Result r = cli.run("exec", "--agent", "coder", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<String> lines = r.stderr().lines().filter(l -> !l.startsWith("[")).toList();
        assertThat(lines).as(r.toString()).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(
                "error: agent 'coder': every candidate failed (1 attempt, 1 skipped before running) [LLM-040]");
        assertThat(lines.get(1)).startsWith("  #1 backup/claude-haiku-4-5 failed (exit 1) after ")
                .contains("503 Service Unavailable");
        assertThat(lines.get(2)).isEqualTo("  skipped primary/claude-haiku-4-5: not installed: "
                + "'llm-primary-not-here' not found (searched PATH /usr/bin:/bin)");
        assertThat(lines.get(3)).startsWith("hint: ");
    }
}
