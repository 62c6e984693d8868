package io.llmservice.core.internal.realcli;

import io.llmservice.CostSource;
import io.llmservice.LlmResponse;
import io.llmservice.Outcome;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.CACHED;
import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.INPUT;
import static io.llmservice.core.internal.realcli.OpenAiResponsesStub.OUTPUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code codex} (npm {@code @openai/codex}) behind the built-in {@code codex}
 * definition, talking to {@link OpenAiResponsesStub} as a custom model provider. The built-in
 * {@code args} have no room for {@code -c} flags, so this test's definition extends codex with
 * its own {@code args} (the built-in ones plus the provider flags) and keeps its {@code output:}.
 */
class RealCliCodexIT extends AbstractRealCliIT {

    @Override
    Outcome outcomeWhenApiUnreachable() {
        return Outcome.TIMEOUT;
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
        // No retries of our own: the library's fallback is the retry, and the suite stays fast.
        String provider = "model_providers.stub={name=\"stub\",base_url=\"" + apiBaseUrl + "/v1\","
                + "wire_api=\"responses\",env_key=\"STUB_OPENAI_KEY\",request_max_retries=0,stream_max_retries=0}";
        return """
                    extends: codex
                    binary: "%s"
                    args: ["exec", "--json", "--skip-git-repo-check", "-c", "model_provider=stub", "-c", '%s',
                           "--model", "{model}", "{session_args}", "-"]
                    env:
                      STUB_OPENAI_KEY: "${STUB_OPENAI_KEY}"
                """.formatted(binary, provider);
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
