package io.llmservice.core.internal;

import io.llmservice.Ticker;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.ToolStatus;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.adapter.CliToolAdapter;
import io.llmservice.core.internal.exec.Os;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Redactor;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code LlmService.tools()} with real fake tools: what is found, what the version probe runs with, and its timeout. */
class ToolStatusProbeIT {
    private static final String SECRET = "s3cr3t-parent-only";

    @TempDir
    Path dir;

    private Map<String, String> environment() {
        return Map.of("PATH", "/usr/bin:/bin", "HOME", dir.toString(), "PARENT_SECRET_TOKEN", SECRET,
                "AWS_SECRET_ACCESS_KEY", SECRET);
    }

    private LlmService service(String yaml) {
        return LlmService.builder().config(ConfigSource.text("tools.yaml", yaml)).environment(environment())
                .telemetryStore(new InMemoryTelemetryStore()).build();
    }

    @Test
    void tools_versionProbe_getsTheMinimalEnvironmentAndTheToolsEnv_neverAParentSecret() {
        FakeCli claude = FakeCli.builder().name("claude").stdout("\n  2.1.197 (Claude Code)\nmore\n").build(dir);
        String yaml = """
                tools:
                  claude-code: {extends: claude-code, binary: "%s", env: {DECLARED_FOR_TOOL: "yes"}}
                """.formatted(claude.binary());

        List<ToolStatus> tools;
        try (LlmService llm = service(yaml)) {
            tools = llm.tools();
        }

        ToolStatus status = tools.stream().filter(t -> t.name().equals("claude-code")).findFirst().orElseThrow();
        assertThat(status.available()).isTrue();
        assertThat(status.binary()).contains(claude.binary());
        assertThat(status.version()).contains("2.1.197 (Claude Code)");
        FakeCli.Invocation probe = claude.invocations().get(0);
        assertThat(probe.argv()).containsExactly("--version");
        assertThat(probe.environment()).containsEntry("DECLARED_FOR_TOOL", "yes")
                .containsEntry("HOME", dir.toString())
                .doesNotContainKeys("PARENT_SECRET_TOKEN", "AWS_SECRET_ACCESS_KEY")
                .doesNotContainValue(SECRET);
        assertThat(probe.stdinText()).isEmpty();
    }

    @Test
    void tools_inConfigurationOrder_aMissingBinary_saysWhereItWasLookedFor() {
        Path missing = dir.resolve("no-such-codex");
        try (LlmService llm = service("tools:\n  codex: {extends: codex, binary: \"" + missing + "\"}\n")) {
            List<ToolStatus> tools = llm.tools();

            assertThat(tools).extracting(ToolStatus::name)
                    .containsExactlyElementsOf(llm.config().tools().keySet());
            ToolStatus codex = tools.stream().filter(t -> t.name().equals("codex")).findFirst().orElseThrow();
            assertThat(codex.available()).isFalse();
            assertThat(codex.binary()).isEmpty();
            assertThat(codex.version()).isEmpty();
            assertThat(codex.detail()).contains("not found").contains(missing.toString());
        }
    }

    @Test
    void tools_aVersionOnlyOnStderr_isUsed_nothingPrintedSaysSo_anErrorIsNoVersion() {
        FakeCli stderrOnly = FakeCli.builder().name("gemini").stderr("gemini 0.61.0\n").build(dir.resolve("a"));
        FakeCli silent = FakeCli.builder().name("codex").build(dir.resolve("b"));
        FakeCli refusing = FakeCli.builder().name("claude").stderr("error: unexpected argument '--version'\n")
                .exitCode(2).build(dir.resolve("c"));
        String yaml = """
                tools:
                  gemini-cli: {extends: gemini-cli, binary: "%s"}
                  codex: {extends: codex, binary: "%s"}
                  claude-code: {extends: claude-code, binary: "%s"}
                """.formatted(stderrOnly.binary(), silent.binary(), refusing.binary());

        try (LlmService llm = service(yaml)) {
            Map<String, ToolStatus> byName = new LinkedHashMap<>();
            llm.tools().forEach(t -> byName.put(t.name(), t));

            assertThat(byName.get("gemini-cli").version()).contains("gemini 0.61.0");
            assertThat(byName.get("codex").available()).isTrue();
            assertThat(byName.get("codex").version()).isEmpty();
            assertThat(byName.get("codex").detail()).contains("'--version' printed nothing");
            assertThat(byName.get("claude-code").version()).isEmpty();
            assertThat(byName.get("claude-code").detail()).contains("version unknown: '--version' exited with 2");
        }
    }

    @Test
    void aHangingVersionCommand_timesOut_isKilled_andTheToolStaysAvailable() {
        FakeCli hanging = FakeCli.builder().name("claude").delay(Duration.ofSeconds(60)).stdout("late\n").build(dir);
        LlmConfig config;
        try (LlmService llm = service("tools:\n  claude-code: {extends: claude-code, binary: \""
                + hanging.binary() + "\"}\n")) {
            config = llm.config();
        }
        ToolDefinition claude = config.tools().get("claude-code");
        AdapterContext context = new AdapterContext(Clock.systemUTC(), environment(), Os.current(), Ticker.system());
        Map<String, ToolAdapter> adapters = Map.of("claude-code", new CliToolAdapter(claude, context));
        ToolStatusProbe probe = new ToolStatusProbe(Map.of("claude-code", claude), adapters, environment(),
                Os.current(), Ticker.system(), Duration.ofMillis(300), Redactor.none());
        try {
            ToolStatus status = probe.statuses().get(0);

            assertThat(status.available()).isTrue();
            assertThat(status.binary()).contains(hanging.binary());
            assertThat(status.version()).isEmpty();
            assertThat(status.detail()).contains("'--version' did not finish within 300 ms and was killed");
            assertThat(hanging.invocations()).singleElement()
                    .satisfies(i -> assertThat(FakeCli.isRunning(i.pid())).as("killed").isFalse());
        } finally {
            probe.close();
        }
    }

    @Test
    void tools_afterClose_isRefused() {
        LlmService llm = service("agents: {}\n");
        llm.close();

        assertThatThrownBy(llm::tools).isInstanceOfSatisfying(LlmServiceException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_CLOSED));
    }
}
