package io.llmservice.core.internal.realcli;

import io.llmservice.CostSource;
import io.llmservice.LlmResponse;
import io.llmservice.Outcome;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

import static io.llmservice.core.internal.realcli.AnthropicMessagesStub.CACHE_READ;
import static io.llmservice.core.internal.realcli.AnthropicMessagesStub.CACHE_WRITE;
import static io.llmservice.core.internal.realcli.AnthropicMessagesStub.INPUT;
import static io.llmservice.core.internal.realcli.AnthropicMessagesStub.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code claude} (Claude Code, npm {@code @anthropic-ai/claude-code}) behind the
 * built-in {@code claude-code} definition, talking to {@link AnthropicMessagesStub} through
 * {@code ANTHROPIC_BASE_URL}.
 */
class RealCliClaudeIT extends AbstractRealCliIT {

    @Override
    Outcome outcomeWhenApiUnreachable() {
        return Outcome.FAILED;
    }

    @Override
    String binaryName() {
        return "claude";
    }

    @Override
    String toolName() {
        return "claude-code";
    }

    @Override
    String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    LoopbackApiStub startStub() {
        return new AnthropicMessagesStub();
    }

    @Override
    String toolOverride(Path binary, String apiBaseUrl) {
        // CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: no telemetry, error reports or update checks.
        return """
                    extends: claude-code
                    binary: "%s"
                    env:
                      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1"
                """.formatted(binary);
    }

    @Override
    Map<String, String> environment(String apiBaseUrl) {
        return Map.of("ANTHROPIC_BASE_URL", apiBaseUrl, "ANTHROPIC_API_KEY", "sk-ant-stub-key");
    }

    @Override
    void assertStubAnswer(LlmResponse r) {
        assertThat(r.usage().inputTokens()).hasValue(INPUT);
        assertThat(r.usage().outputTokens()).hasValue(OUTPUT);
        assertThat(r.usage().cacheReadTokens()).hasValue(CACHE_READ);
        assertThat(r.usage().cacheWriteTokens()).hasValue(CACHE_WRITE);
        // claude's own total_cost_usd, at the list prices of claude-sonnet-4-5 (3 / 15 / 0.30 / 3.75 per M):
        // 123 x 3 + 45 x 15 + 10 x 0.30 + 20 x 3.75 = 1122 micro-dollars.
        assertThat(r.costSource()).isEqualTo(CostSource.TOOL_REPORTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(new BigDecimal("0.001122")));
        assertThat(r.reportedModel()).contains("claude-sonnet-4-5");
    }
}
