package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolOutputException;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.secrets.SecretRedactor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.llmservice.core.internal.adapter.BuiltinTools.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where tool text becomes exception text (the classifier's messages, the parser's quotes and
 * warnings), secrets are masked, while the rules still see the raw text.
 */
class ToolTextRedactionTest {
    private static final String ENV_VALUE = "toolsecret-0000";
    private static final String GITHUB = "ghp_Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789";
    private static final String AWS = "AKIAIOSFODNN7EXAMPLE";

    private final SecretRedactor redactor = new SecretRedactor(List.of(ENV_VALUE));
    private final FailureClassifier classifier = new FailureClassifier(redactor);
    private final OutputParser parser = new OutputParser(redactor);

    private static ToolDefinition textTool() {
        return ToolDefinition.builder().name("leaky").binary("leaky").build();
    }

    @Test
    void exitFailure_messageAndStderrTail_carryNoSecret() {
        String stderr = "fatal: auth failed with " + GITHUB + " " + AWS + " key=" + ENV_VALUE + "\n";

        ToolException e = classifier.classify(textTool(), 1, Optional.empty(), "", stderr).orElseThrow();

        assertThat(e).isInstanceOf(ToolExitException.class);
        assertThat(e.getMessage()).doesNotContain(GITHUB, AWS, ENV_VALUE)
                .isEqualTo("tool 'leaky': exited with status 1; stderr: fatal: auth failed with [REDACTED] [REDACTED]"
                        + " key=[REDACTED]");
        assertThat(((ToolExitException) e).stderrTail()).doesNotContain(GITHUB, AWS, ENV_VALUE);
    }

    @Test
    void longStderr_secretAtTheCut_isMaskedBeforeTheTailIsTaken() {
        // The key straddles the point where the 2 KB tail starts: cut first, its end would survive.
        String key = "sk-ant-api03-" + "Ab3dEfGh1jKlMnOpQrStUvWxYz0123456789".repeat(2);
        String stderr = "x".repeat(10) + " " + key + " " + "y".repeat(FailureClassifier.STDERR_TAIL_BYTES - 22);

        ToolException e = classifier.classify(textTool(), 1, Optional.empty(), "", stderr).orElseThrow();

        assertThat(e.getMessage()).as("the key's end, which a tail cut first would keep").doesNotContain("0123456789")
                .contains("x [REDACTED] y");
    }

    @Test
    void reportedError_messageMasked_butAuthenticationStillRecognised() {
        ToolDefinition claude = tool("claude-code");
        String stdout = "{\"type\":\"result\",\"is_error\":true,\"result\":\"Invalid API key " + ENV_VALUE
                + " · Please run /login\"}";
        ParsedOutput parsed = parser.parse("claude-code", claude.output(), stdout);

        ToolException e = classifier.classify(claude, 1, Optional.of(parsed), stdout, "").orElseThrow();

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.getMessage()).doesNotContain(ENV_VALUE).contains("Invalid API key [REDACTED]");
    }

    @Test
    void notJson_quoteMasked_andNoCauseCarriesTheRawText() {
        OutputSpec json = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.result")), false);

        assertThatThrownBy(() -> parser.parse("leaky", json, GITHUB + " is your token " + ENV_VALUE))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> {
                    assertThat(e.getMessage()).doesNotContain(GITHUB, ENV_VALUE).contains("[REDACTED]");
                    assertThat(e.getCause()).isNull();
                });
    }

    @Test
    void warning_quotingANonNumber_isMasked() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.result"),
                OutputField.COST_USD, List.of("$.cost")), false);

        ParsedOutput parsed = parser.parse("leaky", spec, "{\"result\":\"ok\",\"cost\":\"" + AWS + "\"}");

        assertThat(parsed.warnings()).anySatisfy(w -> assertThat(w).contains("cost_usd", "[REDACTED]"))
                .noneSatisfy(w -> assertThat(w).contains(AWS));
    }
}
