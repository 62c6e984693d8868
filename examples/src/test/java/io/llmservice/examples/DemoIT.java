package io.llmservice.examples;

import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The README's first command runs {@link Demo}: with the real CLIs installed it must still use the
 * stand-ins (an installed claude may not be logged in, or may spend money) unless
 * {@code LLM_SERVICE_REAL_TOOLS=1} asks for the real ones, and it says which it used. The "real"
 * tools here are {@link FakeCli}s on the {@code PATH} the demo is given.
 */
class DemoIT {
    @TempDir
    Path tmp;

    @Test
    void demo_realToolsInstalledButNotLoggedIn_usesTheStandIns_andSaysSo() throws Exception {
        List<FakeCli> real = installed(FakeCli.builder().stderr("Not logged in · Please run /login\n").exitCode(1));

        String out = runDemo(Map.of("PATH", path(real)));

        assertThat(real).allSatisfy(tool -> assertThat(tool.invocationCount()).as(tool.toString()).isZero());
        assertThat(out).contains("Tools: stand-ins", "LLM_SERVICE_REAL_TOOLS=1 uses the real claude, codex and gemini")
                .containsPattern("claude +stand-in +/")
                .containsPattern("codex +stand-in +/")
                .containsPattern("gemini +stand-in +/")
                .contains("answer: [stand-in claude]", "answer: [stand-in gemini]", "REFUSED (LLM-020)")
                .doesNotContain("Not logged in");
    }

    @Test
    void demo_realToolsRequested_runsTheInstalledOnes_andPrintsTheirPaths() throws Exception {
        FakeCli claude = FakeCli.builder().name("claude").stdout(claudeAnswer("[installed claude] fine")).build(tmp);

        String out = runDemo(Map.of("PATH", path(List.of(claude)), "LLM_SERVICE_REAL_TOOLS", "1"));

        assertThat(out).contains("Tools: LLM_SERVICE_REAL_TOOLS=1")
                .contains("claude  real      " + claude.binary())
                .containsPattern("codex +stand-in +/.* \\(no codex on PATH\\)")
                .contains("answer: [installed claude] fine");
        assertThat(claude.invocationCount()).isPositive();
    }

    @Test
    void realToolsVariable_otherThanOneOrZero_isAnError_namingTheVariable() {
        assertThatThrownBy(() -> new StandInTools(Map.of("LLM_SERVICE_REAL_TOOLS", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LLM_SERVICE_REAL_TOOLS must be 1 (use the real claude, codex and gemini on PATH) or 0"
                        + " (use stand-ins), was 'yes'");
        assertThat(StandInTools.realToolsRequested(Map.of("LLM_SERVICE_REAL_TOOLS", "0"))).isFalse();
        assertThat(StandInTools.realToolsRequested(Map.of())).isFalse();
        assertThat(StandInTools.realToolsRequested(Map.of("LLM_SERVICE_REAL_TOOLS", "1"))).isTrue();
    }

    /** A claude, codex and gemini, each in its own directory, all answering as {@code response} says. */
    private List<FakeCli> installed(FakeCli.Builder response) {
        return List.of("claude", "codex", "gemini").stream().map(name -> response.name(name).build(tmp)).toList();
    }

    /** A PATH of only these tools' directories: a real CLI elsewhere on this machine is never found. */
    private static String path(List<FakeCli> tools) {
        return String.join(File.pathSeparator, tools.stream().map(t -> t.directory().toString()).toList());
    }

    private static String runDemo(Map<String, String> env) throws Exception {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text, true)) {
            new Demo(env, out).run();
        }
        return text.toString();
    }

    private static String claudeAnswer(String text) {
        return "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"" + text + "\","
                + "\"total_cost_usd\":0.001,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}";
    }
}
