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
 * The fault-injection run of issue #15 as a test: a tool whose standard error prints API keys of
 * every family, its own {@code env:} value and a {@code ${VAR}} value, then exits 1. Neither the
 * error line, nor {@code --verbose}'s stack trace and debug log, nor {@code tools}' version
 * column shows any of them.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli SHELL mode and the POSIX launcher need sh")
class CliSecretsIT {
    private static final String ENV_VALUE = "toolsecret-0000";
    private static final String VAR_VALUE = "varsecret-1111";
    private static final List<String> TOKENS = List.of(
            "sk-ant-api03-Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWx_yzAA",
            "AIzaSyAb3dEfGh1jKlMnOpQrStUvWxYz0123456",
            "ghp_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789",
            "github_pat_11ABCDEFG0123456789_Db3dEfGh1jKlMnOpQrStUvWxYz0123456789abcdefghij",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxb-123456789012-1234567890123-Eb3dEfGh1jKlMnOpQrStUvWx");
    private static final String PASSWORD = "hunter2pw!";

    @TempDir
    Path tmp;

    CliRun cli;
    Path work;

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(tmp.resolve("work"));
        cli = new CliRun(Files.createDirectories(tmp.resolve("home")), work).env("LEAKY_ARG", VAR_VALUE);
        FakeCli leaky = FakeCli.builder().name("leaky")
                .stderr("fatal: auth failed with " + String.join(" ", TOKENS) + " password=" + PASSWORD
                        + " key=" + ENV_VALUE + " arg=" + VAR_VALUE + "\n")
                .exitCode(1).build(tmp.resolve("fakes"));
        CliRun.write(work.resolve("llm-service.yaml"), """
                tools:
                  leaky:
                    type: cli
                    binary: "%s"
                    args: ["--key", "${LEAKY_ARG}"]
                    env: {LEAKY_KEY: "%s"}
                    version_args: ["--version"]
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                agents:
                  leaker: {tool: leaky, model: claude-haiku-4-5}
                policies:
                  default_agent: leaker
                  telemetry: {store: memory}
                """.formatted(leaky.binary(), ENV_VALUE));
    }

    @AfterEach
    void tearDown() {
        cli.close();
    }

    private static void assertNoSecret(String output) {
        assertThat(output).doesNotContain(TOKENS).doesNotContain(PASSWORD, ENV_VALUE, VAR_VALUE);
    }

    @Test
    void exec_leakyTool_errorLineMasksEverySecret() {
        CliRun.Result r = cli.run("exec", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertNoSecret(r.stdout() + r.stderr());
        assertThat(r.stderr()).contains("error: ", "fatal: auth failed with [REDACTED]", "password=[REDACTED]",
                "key=[REDACTED] arg=[REDACTED]");
    }

    @Test
    void exec_verbose_stackTraceAndDebugLogMaskEverySecret() {
        CliRun.Result r = cli.run("exec", "--verbose", "hi");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr()).as("the verbose output is there").contains("\tat ", "[DEBUG] ");
        assertNoSecret(r.stdout() + r.stderr());
    }

    @Test
    void tools_versionLinePrintedByTheTool_isMasked() {
        CliRun.Result r = cli.run("tools");

        assertThat(r.stdout() + r.stderr()).as(r.toString()).contains("leaky");
        assertNoSecret(r.stdout() + r.stderr());
    }
}
