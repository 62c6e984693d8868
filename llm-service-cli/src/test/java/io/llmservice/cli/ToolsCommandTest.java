package io.llmservice.cli;

import io.llmservice.Cooldown;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tools}: the COOLDOWN cell, and {@code --reset-cooldown}'s answers (CooldownIT runs them across processes). */
class ToolsCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        return runWith("telemetry: {store: memory}", args);
    }

    private int runWith(String telemetry, String... args) throws Exception {
        Path config = Files.writeString(tmp.resolve("llm-service.yaml"), """
                agents:
                  reviewer: {tool: codex, model: gpt-5}
                policies:
                  %s
                """.formatted(telemetry));
        CliEnvironment env = new CliEnvironment(Map.of("PATH", tmp.toString()), tmp, tmp, InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return Main.run(env, all);
    }

    @Test
    void cooldownCell_listsTheToolsCoolingModels_withTimeLeftFailuresAndReason() {
        Instant until = Instant.parse("2026-12-06T20:15:03Z");
        List<Cooldown> cooldowns = List.of(
                Cooldown.builder("codex", "gpt-5").failures(3).reason("HTTP 429").until(until)
                        .remaining(Duration.ofSeconds(252)).build(),
                Cooldown.builder("codex", "gpt-5-codex").failures(1).reason("authentication failed (HTTP 401)")
                        .until(until).remaining(Duration.ofMinutes(59).plusMillis(1)).build(),
                Cooldown.builder("gemini-cli", "gemini-2.5-pro").failures(3).reason("HTTP 503").until(until)
                        .remaining(Duration.ofSeconds(9)).build());

        assertThat(ToolsCommand.cooldownCell("codex", cooldowns)).isEqualTo("gpt-5: 4m12s left, 3 failures (HTTP 429);"
                + " gpt-5-codex: 59m1s left, 1 failure (authentication failed (HTTP 401))");
        assertThat(ToolsCommand.cooldownCell("claude-code", cooldowns)).isEqualTo("-");
    }

    @Test
    void resetCooldown_withoutValue_clearsEvery_withAToolOrPair_thatOne() throws Exception {
        assertThat(run("tools", "--reset-cooldown")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(run("tools", "--reset-cooldown", "codex/gpt-5")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(
                "cleared 0 cooldown entries of every tool\ncleared 0 cooldown entries of codex/gpt-5\n");
    }

    @Test
    void resetCooldown_unknownToolOrModel_usageError_namingWhatIsConfigured() throws Exception {
        assertThat(run("tools", "--reset-cooldown", "codx")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("tools", "--reset-cooldown", "codex/claude-sonnet-4-5")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("error: no tool 'codx' is configured; the tools are [claude-code, codex, gemini-cli]")
                .contains("error: tool 'codex' has no model 'claude-sonnet-4-5'; its models are [gpt-5, ")
                .doesNotContain("\tat ");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void storeThatCannotBeOpened_listsTheToolsAnyway_withAQuestionMarkAndOneWarning() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "not a directory");

        int exit = runWith("telemetry: {store: h2, path: '" + notADirectory.resolve("telemetry") + "'}", "tools");

        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).matches("TOOL +TYPE +INSTALLED +PATH +VERSION +COOLDOWN");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("codex +cli +no +codex \\(not found\\) +- +\\?"));
        assertThat(stderr.lines()).singleElement().satisfies(l -> assertThat(l)
                .startsWith("warning: COOLDOWN shows '?', the telemetry store could not be read: ")
                .contains(notADirectory.toString()).doesNotContain("\tat "));
    }
}
