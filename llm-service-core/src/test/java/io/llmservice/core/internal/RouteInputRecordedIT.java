package io.llmservice.core.internal;

import io.llmservice.BudgetExceededException;
import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every record of a request, executed through a real stand-in process or refused by a budget or a
 * rate limit, keeps what routing decided from ({@link RouteInput}), for a later what-if replay.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli's JAVA mode takes a second per call there")
class RouteInputRecordedIT {
    private static final String PROMPT = "Review this diff: the parser drops the last line of every file it reads";

    @TempDir
    Path dir;

    private static String yaml(Path binary) {
        return """
                models:
                  small:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 39.05078125, cache_read: 0, cache_write: 0}
                  large:
                    provider: acme
                    tier: premium
                    context_window: 32000
                    pricing: {input: 1, output: 39.05078125, cache_read: 0, cache_write: 0}
                tools:
                  acme:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {small: small-v1, large: large-v1}
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
                      limit: {usd: 0.015, type: hard}
                  rate_limits:
                    - scope: {agent: reviewer}
                      requests_per_minute: 2
                """.formatted(binary);
    }

    @Test
    void executedAndRefusedRecords_keepTheEstimateTheHintAndTheExplicitToolAndModel() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"cost\": 0.01}").build(dir);
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("llm-service.yaml", yaml(acme.binary())))
                .clock(MutableClock.at("2026-12-01T10:00:00Z"))
                .telemetryStore(store)
                .build()) {
            LlmRequest named = LlmRequest.builder(PROMPT).agent("reviewer").complexity(Complexity.COMPLEX)
                    .tool("acme").model("large").build();
            long estimate = llm.route(named).plan().estimatedTokens();
            assertThat(estimate).isPositive();

            llm.route(named).execute();                                                    // runs the stand-in
            LlmRequest plain = LlmRequest.builder(PROMPT).agent("reviewer").build();
            assertThatThrownBy(() -> llm.route(plain).execute())                          // over the budget
                    .isInstanceOf(BudgetExceededException.class);
            assertThatThrownBy(() -> llm.route(named).execute())                          // over the rate limit
                    .isInstanceOf(RateLimitedException.class);
            assertThat(acme.invocations()).hasSize(1);

            List<InvocationRecord> records = store.all();
            assertThat(records).extracting(InvocationRecord::outcome)
                    .containsExactly(Outcome.SUCCESS, Outcome.BUDGET_BLOCKED, Outcome.RATE_LIMITED);
            RouteInput explicit = new RouteInput(estimate, Optional.of(Complexity.COMPLEX), Optional.of("acme"),
                    Optional.of("large"));
            assertThat(records.get(0).model()).isEqualTo("large");
            assertThat(records.get(0).routeInput()).contains(explicit);
            assertThat(records.get(1).routeInput())
                    .contains(new RouteInput(estimate, Optional.empty(), Optional.empty(), Optional.empty()));
            assertThat(records.get(2).attempt()).isZero();
            assertThat(records.get(2).routeInput()).contains(explicit);
        }
    }
}
