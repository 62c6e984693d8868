package io.llmservice.telemetry.h2.internal;

import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.RoutePlan;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code LlmService.close()} with 16 real tool processes running, on a real H2 store: every call is
 * cancelled, its process killed, its {@code cancelled} attempt recorded and its budget reservation
 * released, and only then is the store closed (which refuses records after it, {@code LLM-042}).
 */
class CloseWithCallsInFlightIT {
    private static final int CALLS = 16;

    @TempDir
    Path dir;

    private final ExecutorService callers = Executors.newFixedThreadPool(CALLS / 2);

    @AfterEach
    void tearDown() throws Exception {
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        TestDaemons.stopAll(dir);
    }

    @Test
    void close_sixteenToolProcessesRunning_recordsSixteenCancelledAttempts_andLeavesNoReservation()
            throws Exception {
        FakeCli tool = FakeCli.builder().name("slow").delay(Duration.ofMinutes(5)).stdout("{\"text\": \"late\"}")
                .build(dir);
        Path db = dir.resolve("store");
        Path config = dir.resolve("llm-service.yaml");
        Files.writeString(config, """
                models:
                  small:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 2, cache_read: 0, cache_write: 0}
                tools:
                  slow:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {small: small-v1}
                    output: {format: json, text: $.text}
                    timeout: 10m
                agents:
                  worker:
                    team: platform
                    tool: slow
                    model: small
                policies:
                  budgets:
                    - name: platform-daily
                      scope: {team: platform}
                      period: daily
                      limit: {usd: 100, type: hard}
                  telemetry: {store: h2, path: "%s"}
                """.formatted(tool.binary(), db));
        List<String> requestIds = new CopyOnWriteArrayList<>();
        LlmService llm = LlmService.builder().config(config).listener(new LlmServiceListener() {
            @Override
            public void onRouted(String requestId, RoutePlan plan) {
                requestIds.add(requestId);
            }
        }).build();

        // Half on the caller's own threads (execute), half on the service's executor (executeAsync).
        List<Future<LlmResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            LlmRequest request = LlmRequest.builder("part " + i).agent("worker").build();
            calls.add(i % 2 == 0 ? callers.submit(() -> llm.route(request).execute())
                    : llm.route(request).executeAsync());
        }
        awaitStarted(tool);

        llm.close();

        for (Future<LlmResponse> f : calls) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        }
        for (FakeCli.Invocation inv : tool.invocations()) {
            assertThat(FakeCli.isRunning(inv.pid())).as("tool process %d", inv.pid()).isFalse();
        }
        assertThat(requestIds).hasSize(CALLS);
        try (H2TelemetryStore store = H2TelemetryStore.open(db, Clock.systemUTC())) {
            for (String id : requestIds) {
                assertThat(store.findByRequest(id)).as("records of %s", id).singleElement().satisfies(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
                    assertThat(r.errorCode()).contains(ErrorCode.CANCELLED.id());
                });
            }
            Instant now = Instant.now();
            BudgetStanding standing = store.ledger().standing("platform-daily",
                    "daily:" + LocalDate.ofInstant(now, ZoneOffset.UTC), now);
            assertThat(standing.reservedUsd()).as("reservations left open").isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(standing.expiryCharges()).isZero();
        }
    }

    private static void awaitStarted(FakeCli tool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (tool.invocationCount() < CALLS) {
            assertThat(System.nanoTime() - deadline).as("%d tool processes started", CALLS).isNegative();
            Thread.sleep(20);
        }
    }
}
