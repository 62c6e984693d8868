package io.llmservice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code route} exits 1 when no candidate may run, with or without {@code --explain} (docs/cli.md),
 * so a script can use either as a dry run; the explanation is printed all the same.
 */
class RouteCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws Exception {
        Path config = Files.writeString(tmp.resolve("llm-service.yaml"), """
                tools:
                  claude-code: {extends: claude-code, binary: "%s"}
                agents:
                  reviewer: {tool: claude-code, model: claude-sonnet-4-5}
                policies:
                  telemetry: {store: memory}
                """.formatted(tmp.resolve("not-installed/claude")));
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
    void route_noCandidateMayRun_exit1() throws Exception {
        assertThat(run("route", "hi")).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.TOOL_FAILURE);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("(no candidate may run)\n");
    }

    @Test
    void routeExplain_noCandidateMayRun_exit1_andStillExplainsWhy() throws Exception {
        assertThat(run("route", "--explain", "hi")).as(err.toString(StandardCharsets.UTF_8))
                .isEqualTo(ExitCodes.TOOL_FAILURE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("chosen:    none: no candidate may run",
                "excluded:\n  claude-code/claude-sonnet-4-5: not installed");
    }
}
