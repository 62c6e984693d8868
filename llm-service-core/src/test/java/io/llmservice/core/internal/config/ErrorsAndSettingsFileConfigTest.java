package io.llmservice.core.internal.config;

import io.llmservice.ConfigSource;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.FailureKind;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.llmservice.core.internal.config.ConfigLoaderTest.LOADER;
import static io.llmservice.core.internal.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code errors:} and {@code settings_file:} keys of a tool: bound, inherited, and each bad value reported. */
class ErrorsAndSettingsFileConfigTest {

    private static final String TOOL = """
            tools:
              acme:
                binary: acme
                models: {claude-haiku-4-5: haiku}
            """;

    private static ToolDefinition load(String yaml, String tool) {
        LlmConfig config = LOADER.load(ConfigSource.text("llm.yaml", yaml), Map.of("ACME_KEY", "k-123"));
        return config.tools().get(tool);
    }

    @Test
    void errors_allKeys_bound() {
        ToolDefinition t = load(TOOL + """
                    errors:
                      json_from: [stdout, stderr]
                      exit_codes: {145: auth, 173: rate_limit, 244: server_error, 3: fatal}
                      auth_when: ["API_KEY_INVALID"]
                      auth_hint: "set ACME_KEY"
                      exit_hints: {3: "run acme init"}
                """, "acme");

        assertThat(t.errors().jsonFrom()).containsExactly(ErrorSource.STDOUT, ErrorSource.STDERR);
        assertThat(t.errors().exitCodes()).isEqualTo(Map.of(145, FailureKind.AUTH, 173, FailureKind.RATE_LIMIT,
                244, FailureKind.SERVER_ERROR, 3, FailureKind.FATAL));
        assertThat(t.errors().authWhen()).containsExactly("API_KEY_INVALID");
        assertThat(t.errors().authHint()).isEqualTo("set ACME_KEY");
        assertThat(t.errors().exitHints()).isEqualTo(Map.of(3, "run acme init"));
    }

    @Test
    void errors_badValues_eachReportedWithPosition() {
        assertThat(problems(ConfigSource.text("llm.yaml", TOOL + """
                    errors:
                      json_from: [stdout, stdrr]
                      exit_codes: {401: auth, 173: ratelimit}
                      exit_hints: {x: "?"}
                      auth_hnt: "?"
                """), Map.of())).containsExactlyInAnyOrder(
                "llm.yaml:9:7: tools.acme.errors.auth_hnt: unknown key 'auth_hnt'; did you mean 'auth_hint'?",
                "llm.yaml:6:27: tools.acme.errors.json_from[1]: must be one of stdout, stderr (was \"stdrr\");"
                        + " did you mean 'stderr'?",
                "llm.yaml:7:20: tools.acme.errors.exit_codes.401: an exit status must be a whole number 1..255"
                        + " (was \"401\"); a process that exits with an HTTP status reports it modulo 256 (401 -> 145)",
                "llm.yaml:7:36: tools.acme.errors.exit_codes.173: must be one of auth, rate_limit, server_error,"
                        + " unreachable, retriable, fatal (was \"ratelimit\"); did you mean 'rate_limit'?",
                "llm.yaml:8:20: tools.acme.errors.exit_hints.x: an exit status must be a whole number 1..255"
                        + " (was \"x\"); a process that exits with an HTTP status reports it modulo 256 (401 -> 145)");
    }

    @Test
    void settingsFile_contentWrittenAsTypedJson_expanded_andMergedWithExtends() {
        ToolDefinition base = load(TOOL + """
                    settings_file:
                      env: ACME_SETTINGS
                      content:
                        general: {maxAttempts: 1, retry: false, ratio: 0.5, name: "1", none: null}
                        key: "${ACME_KEY}"
                        list: [a, 2]
                  mine:
                    extends: acme
                    settings_file:
                      content:
                        general: {maxAttempts: 3}
                """, "mine");

        assertThat(base.settingsFile()).hasValueSatisfying(f -> {
            assertThat(f.env()).isEqualTo("ACME_SETTINGS");
            assertThat(f.json()).isEqualTo("{\"general\":{\"maxAttempts\":3,\"retry\":false,\"ratio\":0.5,\"name\":\"1\","
                    + "\"none\":null},\"key\":\"k-123\",\"list\":[\"a\",2]}");
        });
    }

    @Test
    void scratchDir_boundAndEmptyListReported() {
        assertThat(load(TOOL + "    scratch_dir: {env: [ACME_HOME]}\n", "acme").scratchDir())
                .hasValueSatisfying(d -> assertThat(d.env()).containsExactly("ACME_HOME"));
        assertThat(problems(ConfigSource.text("llm.yaml", TOOL + "    scratch_dir: {env: []}\n"), Map.of()))
                .containsExactly("llm.yaml:5:18: tools.acme.scratch_dir.env: must list at least one environment"
                        + " variable to set to the call's private directory");
    }

    @Test
    void settingsFile_missingEnvOrNotAMapping_reported() {
        assertThat(problems(ConfigSource.text("llm.yaml", TOOL + """
                    settings_file:
                      content: [1]
                """), Map.of())).containsExactlyInAnyOrder(
                "llm.yaml:6:7: tools.acme.settings_file.env: is required: the environment variable that tells the"
                        + " tool where its settings file is",
                "llm.yaml:6:16: tools.acme.settings_file.content: must be a mapping (was a list)");
    }

    @Test
    void builtinGemini_readsErrorsFromStderr_andHasItsSettingsFile() {
        ToolDefinition gemini = load("tools:\n  gemini-cli:\n    extends: gemini-cli\n", "gemini-cli");

        assertThat(gemini.errors().readsFrom(ErrorSource.STDERR)).isTrue();
        assertThat(gemini.errors().kindOf(145)).contains(FailureKind.AUTH);
        assertThat(gemini.errors().kindOf(173)).contains(FailureKind.RATE_LIMIT);
        assertThat(gemini.errors().kindOf(244)).contains(FailureKind.SERVER_ERROR);
        assertThat(gemini.settingsFile()).hasValueSatisfying(f -> {
            assertThat(f.env()).isEqualTo("GEMINI_CLI_SYSTEM_SETTINGS_PATH");
            assertThat(f.json()).contains("\"maxAttempts\":1", "\"usageStatisticsEnabled\":false",
                    "\"selectedType\":\"gemini-api-key\"");
        });
        assertThat(gemini.env()).containsEntry("GEMINI_CLI_NO_RELAUNCH", "true");
        assertThat(gemini.scratchDir()).hasValueSatisfying(d -> assertThat(d.env()).containsExactly("GEMINI_CLI_HOME",
                "TMPDIR"));
        assertThat(List.of(gemini.errors().authHint())).allMatch(h -> h.contains("GEMINI_API_KEY"));
    }
}
