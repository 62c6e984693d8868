package io.llmservice.core.internal;

import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.testkit.FakeCli;
import io.llmservice.testkit.ForwardingTelemetryStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code policies.telemetry.when_down} written in YAML, through the public builder and a real fake
 * CLI process, with a budget ledger that fails like a store whose server is gone: a hard budget
 * refuses and the process is never started; a soft one with {@code when_down: run} runs it and the
 * response says it ran unmetered.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "FakeCli's JAVA mode takes a second per call there")
class LedgerDownYamlIT {

    @TempDir
    Path dir;

    private static String yaml(Path binary, String limitType, String whenDown) {
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
                      limit: {usd: 5, type: %s}
                  telemetry: {store: memory, when_down: %s}
                """.formatted(binary, limitType, whenDown);
    }

    /** The in-memory store, its ledger failing every call as a dead server's would. */
    private static TelemetryStore deadLedger(InMemoryTelemetryStore store) {
        LedgerDownPipelineTest.DeadServerLedger ledger = new LedgerDownPipelineTest.DeadServerLedger(store.ledger());
        ledger.reserveDown = true;
        ledger.settleDown = true;
        return new ForwardingTelemetryStore(store) {
            @Override
            public BudgetLedger ledger() {
                return ledger;
            }
        };
    }

    private static LlmService service(Path binary, String limitType, String whenDown, TelemetryStore store) {
        return LlmService.builder().config(ConfigSource.text("llm-service.yaml", yaml(binary, limitType, whenDown)))
                .telemetryStore(store).build();
    }

    @Test
    void hardBudget_whenDownRun_stillRefuses_andTheProcessNeverStarts() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"cost\": 0.01}").build(dir);
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        try (LlmService llm = service(acme.binary(), "hard", "run", deadLedger(store))) {
            LlmServiceException e = catchThrowableOfType(LlmServiceException.class,
                    () -> llm.route(LlmRequest.builder("Review this diff").agent("reviewer").build()).execute());

            assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
            assertThat(e.getMessage()).startsWith("budget 'platform-daily' could not be checked: the telemetry store"
                    + " (memory at ").contains("Connection to db:5432 refused").contains("nothing ran");
            assertThat(acme.invocations()).as("the tool's process was never started").isEmpty();
            assertThat(store.all()).extracting(r -> r.outcome()).containsExactly(Outcome.BUDGET_BLOCKED);
        }
    }

    @Test
    void softBudget_whenDownRun_runsTheProcess_andTheResponseSaysItWasUnmetered() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"cost\": 0.01}").build(dir);
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        try (LlmService llm = service(acme.binary(), "soft", "run", deadLedger(store))) {
            LlmResponse r = llm.route(LlmRequest.builder("Review this diff").agent("reviewer").build()).execute();

            assertThat(r.text()).isEqualTo("ok");
            assertThat(acme.invocations()).hasSize(1);
            assertThat(r.warnings()).anySatisfy(w -> assertThat(w).startsWith("budget 'platform-daily' could not be"
                    + " checked").endsWith("the call runs unmetered: no spend is reserved in this soft budget"
                    + " (policies.telemetry.when_down: run)"));
            assertThat(store.all()).extracting(rec -> rec.outcome()).containsExactly(Outcome.SUCCESS);
        }
    }

    @Test
    void softBudget_whenDownRefuse_refuses_andTheProcessNeverStarts() {
        FakeCli acme = FakeCli.builder().name("acme").stdout("{\"text\": \"ok\", \"cost\": 0.01}").build(dir);
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        try (LlmService llm = service(acme.binary(), "soft", "refuse", deadLedger(store))) {
            LlmServiceException e = catchThrowableOfType(LlmServiceException.class,
                    () -> llm.route(LlmRequest.builder("Review this diff").agent("reviewer").build()).execute());

            assertThat(e.code()).isEqualTo(ErrorCode.BUDGET_UNAVAILABLE);
            assertThat(acme.invocations()).isEmpty();
        }
    }
}
