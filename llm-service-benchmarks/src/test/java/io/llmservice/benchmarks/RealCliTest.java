package io.llmservice.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealCliTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"claude, claude-2.1.332-success.json", "codex, codex-0.171.0-success.jsonl",
            "gemini, gemini-cli-0.61.0-cached-success.json"})
    void docsAnswer_capturedSuccessOfTheRealCli_isTheStubText(String cli, String fixture) throws IOException {
        assertThat(RealCli.named(cli).docsAnswer(fixture(fixture))).contains(VendorApiStub.TEXT);
    }

    @Test
    void docsAnswer_codexTurnFailed_noAnswer() {
        String failed = """
                {"type":"thread.started","thread_id":"t"}
                {"type":"turn.started"}
                {"type":"error","message":"unexpected status 401 Unauthorized"}
                {"type":"turn.failed","error":{"message":"unexpected status 401 Unauthorized"}}
                """;

        assertThat(RealCli.CODEX.docsAnswer(failed)).isEmpty();
    }

    @Test
    void docsAnswer_geminiErrorObject_noAnswer() {
        assertThat(RealCli.GEMINI.docsAnswer("{\"session_id\":\"s\",\"error\":{\"type\":\"Error\","
                + "\"message\":\"Invalid auth method selected.\",\"code\":41}}")).isEmpty();
    }

    @Test
    void docsArgv_isWhatEachCliDocumentationShows() {
        Path bin = Path.of("/opt/bin/x");

        assertThat(RealCli.CLAUDE.docsArgv(bin, "Hi"))
                .containsExactly("/opt/bin/x", "-p", "Hi", "--output-format", "json", "--model", "claude-sonnet-4-5");
        assertThat(RealCli.CODEX.docsArgv(bin, "Hi"))
                .containsExactly("/opt/bin/x", "exec", "--json", "--model", "gpt-5-codex", "Hi");
        assertThat(RealCli.GEMINI.docsArgv(bin, "Hi"))
                .containsExactly("/opt/bin/x", "-p", "Hi", "--output-format", "json", "--model", "gemini-2.5-pro");
    }

    @Test
    void named_unknownCli_saysWhichExist() {
        assertThatThrownBy(() -> RealCli.named("aider"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown real CLI 'aider': use claude, codex or gemini");
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = RealCliTest.class.getResourceAsStream("/real-cli/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
