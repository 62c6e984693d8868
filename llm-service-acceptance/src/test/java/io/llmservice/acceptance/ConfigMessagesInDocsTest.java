package io.llmservice.acceptance;

import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The configuration errors the docs quote are the ones the loader really reports, word for word:
 * each case loads a configuration with one mistake and looks for the resulting
 * {@code path: message} in the page that quotes it.
 */
class ConfigMessagesInDocsTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            docs/errors.md          | agents.code-reviewer.tool | agents: {code-reviewer: {tool: claude-cod, model: claude-sonnet-4-5}}
            docs/errors.md          | tools.codex.timeout       | tools: {codex: {extends: codex, timeout: -5s}}
            docs/troubleshooting.md | tools.claude-code.binray  | tools: {claude-code: {extends: claude-code, binray: /opt/claude}}
            docs/configuration.md   | tools.claude-code.binray  | tools: {claude-code: {extends: claude-code, binray: /opt/claude}}
            docs/configuration.md   | agents.code-reviewer.tool | agents: {code-reviewer: {tool: claude-cod, model: claude-sonnet-4-5}}
            docs/configuration.md   | tools.codex-local.args_append[0] | tools: {codex-local: {extends: codex, args_append: ["--x={options.env_kee}"]}}
            docs/configuration.md   | policies.cooldown.after   | policies: {cooldown: {after: three}}
            docs/configuration.md   | tools.acme.errors.exit_codes.401 | tools: {acme: {extends: gemini-cli, errors: {exit_codes: {401: auth}}}}
            docs/configuration.md   | policies.telemetry.password | policies: {telemetry: {store: postgres, url: "jdbc:postgresql://db/llm", password: hunter2hunter2}}
            docs/configuration.md   | policies.telemetry.url    | policies: {telemetry: {store: h2, url: "jdbc:postgresql://db/llm"}}
            docs/configuration.md   | policies.telemetry.pool_size | policies: {telemetry: {store: postgres, url: "jdbc:postgresql://db/llm", pool_size: 65}}
            """)
    void theDocQuotesTheRealMessage(String doc, String path, String yaml) throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> LlmService.builder()
                .config(ConfigSource.text("llm-service.yaml", yaml)).environment(Map.of()).build().close());
        assertThat(e).as("an invalid configuration").isNotNull();
        ConfigProblem problem = e.problems().stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + ": " + e.problems()));

        String text = Files.readString(DocBlocks.ROOT.resolve(doc));
        String quoted = doc.equals("docs/errors.md") ? problem.path() + ": " + problem.message() : problem.message();
        assertThat(text).as("%s quotes the loader's message", doc).contains(quoted);
    }
}
