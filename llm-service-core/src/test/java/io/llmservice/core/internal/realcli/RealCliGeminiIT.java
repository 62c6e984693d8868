package io.llmservice.core.internal.realcli;

import io.llmservice.CostSource;
import io.llmservice.LlmResponse;
import io.llmservice.Outcome;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.llmservice.core.internal.realcli.GeminiApiStub.CACHED;
import static io.llmservice.core.internal.realcli.GeminiApiStub.CANDIDATES;
import static io.llmservice.core.internal.realcli.GeminiApiStub.PROMPT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code gemini} (npm {@code @google/gemini-cli}) behind the built-in {@code gemini-cli}
 * definition, talking to {@link GeminiApiStub} through {@code GOOGLE_GEMINI_BASE_URL}, with
 * API-key auth selected in the throwaway HOME's {@code ~/.gemini/settings.json}.
 */
class RealCliGeminiIT extends AbstractRealCliIT {

    @Override
    Outcome outcomeWhenApiUnreachable() {
        return Outcome.FAILED;
    }

    @Override
    String binaryName() {
        return "gemini";
    }

    @Override
    String toolName() {
        return "gemini-cli";
    }

    @Override
    String model() {
        return "gemini-2.5-pro";
    }

    @Override
    LoopbackApiStub startStub() {
        return new GeminiApiStub();
    }

    @Override
    void prepareHome(Path home) throws IOException {
        // Without selectedType gemini exits 41; usage statistics would otherwise go to Google; gemini
        // retries a 429/5xx ten times with backoff unless maxAttempts says otherwise.
        Path settings = Files.createDirectories(home.resolve(".gemini")).resolve("settings.json");
        Files.writeString(settings, """
                {"security": {"auth": {"selectedType": "gemini-api-key"}},
                 "privacy": {"usageStatisticsEnabled": false},
                 "telemetry": {"enabled": false},
                 "general": {"disableAutoUpdate": true, "disableUpdateNag": true, "maxAttempts": 1}}
                """);
    }

    @Override
    String toolOverride(Path binary, String apiBaseUrl) {
        return """
                    extends: gemini-cli
                    binary: "%s"
                """.formatted(binary);
    }

    @Override
    Map<String, String> environment(String apiBaseUrl) {
        return Map.of("GEMINI_API_KEY", "stub-gemini-key", "GOOGLE_GEMINI_BASE_URL", apiBaseUrl,
                "GEMINI_CLI_TRUST_WORKSPACE", "true");
    }

    @Override
    void assertStubAnswer(LlmResponse r) {
        // gemini's prompt count includes the cached tokens; the library splits them.
        assertThat(r.usage().inputTokens()).hasValue(PROMPT - CACHED);
        assertThat(r.usage().cacheReadTokens()).hasValue(CACHED);
        assertThat(r.usage().outputTokens()).hasValue(CANDIDATES);
        // computed from gemini-2.5-pro list prices (1.25 / 10 / cache read 0.125 per M):
        // 100 x 1.25 + 23 x 0.125 + 45 x 10 = 577.875 micro-dollars.
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(new BigDecimal("0.000577875")));
        assertThat(r.reportedModel()).contains("gemini-2.5-pro");
    }
}
