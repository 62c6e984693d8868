package io.llmservice.benchmarks;

import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link RealCliBenchmark} refuses to time a call that did not succeed against its stub: a fake
 * {@code claude} (a real program) stands in for the npm one. With the real CLIs installed, each
 * runs two pairs against its stub.
 */
class RealCliBenchmarkIT {
    private static final String DIR_PROPERTY = "llm.service.real-cli.dir";

    @TempDir
    Path dir;

    private final RealCliBenchmark benchmark = new RealCliBenchmark();

    @AfterEach
    void tearDown() throws IOException {
        System.clearProperty(DIR_PROPERTY);
        benchmark.tearDown();
    }

    @Test
    void pair_cliAnswersOtherText_failsInsteadOfTiming() throws IOException, InterruptedException {
        install(claudeAnswering("Sorry, I cannot reach the API."));
        benchmark.setUp();

        assertThatThrownBy(benchmark::pair)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("claude through LlmService answered 'Sorry, I cannot reach the API.', not the stub's "
                        + "'STUB-OK': the call did not succeed, so it must not be timed");
    }

    @Test
    void pair_cliAnswersTheTextWithoutAskingTheStub_failsInsteadOfTiming() throws IOException, InterruptedException {
        install(claudeAnswering(VendorApiStub.TEXT));
        benchmark.setUp();

        assertThatThrownBy(benchmark::pair)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("claude through LlmService answered without asking the stub");
    }

    @Test
    void setUp_cliNotInstalled_saysWhereItLookedAndHowToInstall() {
        System.setProperty(DIR_PROPERTY, dir.resolve("nothing-here").toString());
        benchmark.cli = "claude";

        assertThatThrownBy(benchmark::setUp)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("real claude not installed at " + dir.resolve("nothing-here/node_modules/.bin/claude")
                        + ": run .ci/install-real-clis.sh (needs npm) or set LLM_SERVICE_REAL_CLI_DIR; skipping claude");
    }

    /**
     * Each real CLI, when installed ({@code LLM_SERVICE_REAL_CLI_DIR}): two checked pairs (both
     * orders) against the stub, so a built-in that stops talking to the stub (codex's own model
     * provider overriding {@code ~/.codex/config.toml}) fails here and not only in a long run; and
     * the throwaway home in a directory that no other user can write to, nor any above it, or
     * gemini skips the private settings file the service writes under it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"claude", "codex", "gemini"})
    void pair_realCli_bothWaysAnswerFromTheStub(String cli) throws IOException, InterruptedException {
        String configured = System.getenv("LLM_SERVICE_REAL_CLI_DIR");
        assumeTrue(configured != null && Files.isExecutable(Path.of(configured, "node_modules", ".bin", cli)),
                "real " + cli + " not installed: set LLM_SERVICE_REAL_CLI_DIR (.ci/install-real-clis.sh)");
        benchmark.cli = cli;
        benchmark.setUp();

        for (Path p = benchmark.throwawayDirectory(); p != null; p = p.getParent()) {
            assertThat(Files.getPosixFilePermissions(p)).as("permissions of %s", p)
                    .doesNotContain(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
        }
        assertThat(benchmark.pair()).isPositive();
        assertThat(benchmark.pair()).isPositive();
    }

    /** A fake claude: its version first, then the same answer for every call. */
    private static FakeCli.Builder claudeAnswering(String text) {
        return FakeCli.builder().name("claude").stdout("9.9.9 (Claude Code)\n").then()
                .stdout("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"" + text + "\","
                        + "\"total_cost_usd\":0.001,\"usage\":{\"input_tokens\":12,\"output_tokens\":3}}")
                .then().stdout("{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"" + text
                        + "\"}");
    }

    /** Puts the fake where the npm install would put claude, and points the benchmark there. */
    private void install(FakeCli.Builder fake) throws IOException {
        FakeCli cli = fake.build(dir.resolve("fakes"));
        Path bin = Files.createDirectories(dir.resolve("real-cli/node_modules/.bin"));
        Files.createSymbolicLink(bin.resolve("claude"), cli.binary());
        System.setProperty(DIR_PROPERTY, dir.resolve("real-cli").toString());
        benchmark.cli = "claude";
    }
}
