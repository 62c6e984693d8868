package io.llmservice.core.internal;

import io.llmservice.BudgetExceededException;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Budgets and rate limits written in YAML, through the public builder, the ServiceLoader-found
 * {@code limit} provider and a real fake CLI process.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli's JAVA mode takes a second per call there")
class BudgetYamlIT {

    @TempDir
    Path dir;

    /**
     * Priced so that "Review this diff" (3 prompt tokens by the heuristic, plus the 256-token
     * minimum output allowance) is estimated at exactly $0.01: (3 x 1 + 256 x 39.05078125) / 1M.
     */
    private static String yaml(Path binary) {
        return """
                models:
                  small:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 39.05078125, cache_read: 0, cache_write: 0}
                tools:
                  acme:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {small: small-v1}
                    output:
                      format: json
                      text: $.text
                      cost_usd: $.cost
                    timeout: 30s
                agents:
                  reviewer:
                    team: platform
                    tool: acme
                    model: small
                policies:
                  budgets:
                    - name: platform-daily
                      scope: {team: platform}
                      period: daily
                      limit: {usd: 0.02, type: hard}
                      warn_at: 0.5
                  rate_limits:
                    - scope: {agent: reviewer}
                      requests_per_minute: 3
                  timezone: Europe/Berlin
                """.formatted(binary);
    }

    @Test
    void yamlBudget_refusesTheThirdCall_beforeTheToolRuns_andWarnsAtHalf() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"cost\": 0.01}").build(dir);
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        List<String> warnings = new CopyOnWriteArrayList<>();
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("llm-service.yaml", yaml(acme.binary())))
                .clock(MutableClock.at("2026-11-30T23:30:00Z")) // 00:30 on Dec 1 in Berlin
                .telemetryStore(store)
                .listener(new LlmServiceListener() {
                    @Override
                    public void onWarning(ErrorCode code, String message) {
                        warnings.add(message);
                    }
                })
                .build()) {
            LlmRequest request = LlmRequest.builder("Review this diff").agent("reviewer").build();
            LlmResponse first = llm.route(request).execute();
            assertThat(first.text()).isEqualTo("ok");
            assertThat(first.costUsd()).contains(new BigDecimal("0.01"));
            llm.route(request).execute();

            assertThatThrownBy(() -> llm.route(request).execute()).isInstanceOfSatisfying(
                    BudgetExceededException.class, e -> assertThat(e.getMessage()).isEqualTo(
                            "budget 'platform-daily' (daily 2026-12-01) refused the request: limit $0.02,"
                                    + " spent $0.02, reserved $0, this request needs ~$0.01"));
            assertThat(acme.invocations()).hasSize(2);
            assertThat(warnings).containsExactly("budget 'platform-daily' (daily 2026-12-01) reached 50% of its"
                    + " hard limit of $0.02: committed $0.01 (spent $0, reserved $0.01)");
            assertThat(store.all()).extracting(r -> r.outcome())
                    .containsExactly(Outcome.SUCCESS, Outcome.SUCCESS, Outcome.BUDGET_BLOCKED);
            assertThat(store.ledger().liveReservations()).isZero();

            // the rate limit (3 per minute) counts the refused request too: the fourth is rate limited
            assertThatThrownBy(() -> llm.route(request).execute()).isInstanceOf(RateLimitedException.class);
        }
    }
}
