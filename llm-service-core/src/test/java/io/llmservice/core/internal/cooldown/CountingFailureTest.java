package io.llmservice.core.internal.cooldown;

import io.llmservice.ErrorCode;
import io.llmservice.ToolExitException;
import io.llmservice.ToolNotInstalledException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures count towards a cooldown, and how they are named. */
class CountingFailureTest {

    @Test
    void of_authentication_429_5xx_count_withTheStatus() {
        assertThat(CountingFailure.of(new ToolReportedErrorException(ErrorCode.TOOL_AUTHENTICATION, "t",
                "authentication failed: invalid x-api-key", 401, 1, false)))
                .contains(new CountingFailure(true, "authentication failed (HTTP 401)"));
        assertThat(CountingFailure.of(new ToolReportedErrorException(ErrorCode.TOOL_AUTHENTICATION, "t",
                "authentication failed: Not logged in", 0, 1, false)))
                .contains(new CountingFailure(true, "authentication failed"));
        assertThat(CountingFailure.of(new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, "t", "x", 429, 1,
                true))).contains(new CountingFailure(false, "HTTP 429"));
        assertThat(CountingFailure.of(new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, "t", "x", 503, 1,
                true))).contains(new CountingFailure(false, "HTTP 503"));
    }

    @Test
    void of_wordingOfARetriableFailureWithoutStatus_counts() {
        assertThat(CountingFailure.of(new ToolExitException("codex", 1,
                "We're currently experiencing high demand, which may cause temporary errors.", "", true)))
                .contains(new CountingFailure(false, "rate limited"));
        assertThat(CountingFailure.of(new ToolExitException("t", 1, "upstream: 502 Bad Gateway", "", true)))
                .contains(new CountingFailure(false, "server error"));
    }

    @Test
    void of_whatAnotherAttemptMayWellGetThrough_doesNotCount() {
        assertThat(CountingFailure.of(new ToolTimeoutException("t", Duration.ofSeconds(60)))).isEmpty();
        assertThat(CountingFailure.of(new ToolNotInstalledException("t", "t", "PATH"))).isEmpty();
        assertThat(CountingFailure.of(new ToolExitException("t", 1, "ECONNREFUSED 127.0.0.1:9 (429 retries)",
                "could not reach the API: connection refused", true))).isEmpty();
        assertThat(CountingFailure.of(new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, "t",
                "prompt is too long", 400, 1, false))).isEmpty();
        // Not retriable: its wording is not the API's trouble.
        assertThat(CountingFailure.of(new ToolExitException("t", 2, "rate limit flag is invalid", "", false)))
                .isEmpty();
    }

    @Test
    void fingerprint_changesWithAnEnvValue_notWithTheMapOrder() {
        ToolDefinition a = ToolDefinition.builder().name("claude").binary("claude").env("A", "1").env("KEY", "k1")
                .build();
        ToolDefinition sameOtherOrder = ToolDefinition.builder().name("claude").binary("claude").env("KEY", "k1")
                .env("A", "1").build();
        ToolDefinition otherKey = a.toBuilder().env("KEY", "k2").build();

        assertThat(ToolFingerprint.of(a)).hasSize(32).isEqualTo(ToolFingerprint.of(sameOtherOrder))
                .isNotEqualTo(ToolFingerprint.of(otherKey)).doesNotContain("k1");
        assertThat(ToolFingerprint.of(a.toBuilder().args(java.util.List.of("-p")).build()))
                .isNotEqualTo(ToolFingerprint.of(a));
    }
}
