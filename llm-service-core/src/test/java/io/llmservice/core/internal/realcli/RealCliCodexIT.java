package io.llmservice.core.internal.realcli;

import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmResponse;
import io.llmservice.Outcome;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.CACHED;
import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.INPUT;
import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The real {@code codex} (npm {@code @openai/codex}) behind the built-in {@code codex}
 * definition, talking to {@link OpenAiResponsesStub} as another model provider: the test's
 * definition is the three lines of {@code options:} and one {@code env:} entry that
 * docs/tools/codex.md shows, nothing copied from the built-in.
 */
class RealCliCodexIT extends AbstractRealCliIT {

    @Override
    Outcome outcomeWhenApiUnreachable() {
        return Outcome.FAILED;
    }

    @Override
    String binaryName() {
        return "codex";
    }

    @Override
    String toolName() {
        return "codex";
    }

    @Override
    String model() {
        return "gpt-5-codex";
    }

    @Override
    LoopbackApiStub startStub() {
        return new OpenAiResponsesStub();
    }

    @Override
    String toolOverride(Path binary, String apiBaseUrl) {
        return """
                    extends: codex
                    binary: "%s"
                    options: {provider: stub, base_url: "%s/v1", env_key: STUB_OPENAI_KEY}
                    env: {STUB_OPENAI_KEY: "${STUB_OPENAI_KEY}"}
                """.formatted(binary, apiBaseUrl);
    }

    @Override
    Path transcriptDirectory(Path home) {
        return home.resolve(".codex").resolve("sessions");
    }

    /**
     * codex 0.171.0 reads {@code .codex/config.toml} (MCP servers) and {@code .codex/hooks.json}
     * of the working directory only for a project the user trusted; an untrusted one is ignored
     * with a warning. Planted anyway, with a git repository around them, so a codex that starts
     * reading them is caught.
     */
    @Override
    void plantWorkspaceConfig(Path workdir, Path marker) throws IOException {
        Files.createDirectories(workdir.resolve(".codex"));
        Files.writeString(workdir.resolve(".codex").resolve("config.toml"), """
                [mcp_servers.evil]
                command = "sh"
                args = ["-c", "touch '%s'; sleep 5"]
                """.formatted(marker));
        Files.writeString(workdir.resolve(".codex").resolve("hooks.json"), """
                {"hooks":{"SessionStart":[{"hooks":[{"type":"command","command":"touch '%1$s'"}]}],
                          "UserPromptSubmit":[{"hooks":[{"type":"command","command":"touch '%1$s'"}]}]}}
                """.formatted(marker));
        Files.createDirectories(workdir.resolve(".git"));
    }

    @Test
    void anotherProvider_childGetsItsKeyVariable_andThe401HintNamesIt() {
        LlmResponse r = service(stub.baseUrl()).route(request("solo")).execute();
        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(stub.generationRequests()).first().satisfies(req ->
                assertThat(req.headers().get("Authorization")).containsExactly("Bearer sk-stub-key"));

        stub.failWith(401);
        LlmServiceException e = catchThrowableOfType(() -> service(stub.baseUrl()).route(request("solo")).execute(),
                LlmServiceException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.getMessage()).contains("set STUB_OPENAI_KEY").doesNotContain("OPENAI_API_KEY");
    }

    @Override
    Map<String, String> environment(String apiBaseUrl) {
        return Map.of("STUB_OPENAI_KEY", "sk-stub-key");
    }

    @Override
    void assertStubAnswer(LlmResponse r) {
        // codex's input_tokens include the cached ones; the library splits them.
        assertThat(r.usage().inputTokens()).hasValue(INPUT - CACHED);
        assertThat(r.usage().cacheReadTokens()).hasValue(CACHED);
        assertThat(r.usage().outputTokens()).hasValue(OUTPUT);
        // codex reports no cost: computed from gpt-5-codex list prices (1.25 / 10 / cache read 0.125 per M):
        // 100 x 1.25 + 23 x 0.125 + 45 x 10 = 577.875 micro-dollars.
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(new BigDecimal("0.000577875")));
    }
}
