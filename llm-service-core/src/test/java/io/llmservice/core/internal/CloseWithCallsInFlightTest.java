package io.llmservice.core.internal;

import io.llmservice.testkit.ForwardingTelemetryStore;
import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.budget.BudgetWindow;
import io.llmservice.core.internal.ratelimit.Sleeper;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.llmservice.core.internal.TestConfigs.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code close()} with calls in flight: every cancelled attempt is recorded and its budget reservation
 * released before the store closes. The tool blocks until cancelled and then, like a process being
 * killed, takes a while to return; the store refuses records after its close, as the H2 store does.
 */
class CloseWithCallsInFlightTest {
    private static final int CALLS = 16;

    private final ScriptedAdapter.Scripts scripts = new ScriptedAdapter.Scripts();
    private final InMemoryTelemetryStore memory = new InMemoryTelemetryStore();
    private final RefusingAfterClose store = new RefusingAfterClose(memory);
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLS / 2);
    private LlmService llm;

    @AfterEach
    void tearDown() throws InterruptedException {
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void close_sixteenCallsInFlight_recordsSixteenCancelledAttempts_releasesTheirReservations_thenClosesTheStore()
            throws Exception {
        CountDownLatch started = new CountDownLatch(CALLS);
        scripts.behaviour.put("claude", inv -> {
            CountDownLatch cancelled = new CountDownLatch(1);
            try (AutoCloseable ignored = inv.cancellation().onCancel(cancelled::countDown)) {
                started.countDown();
                cancelled.await();
                // A killed process takes a moment to go; the callers' own calls take the longest.
                Thread.sleep(inv.prompt().endsWith("on the caller's thread") ? 600 : 300);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new CallCancelledException("cancelled while running claude");
        });
        llm = Services.build(TestConfigs.create()
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .tool("claude", ScriptedAdapter.TYPE, "sonnet")
                .agent("reviewer", "platform", "claude", "sonnet")
                .budget("team-daily", scope(ScopeKind.TEAM, "platform"), BudgetPeriod.DAILY, "100", LimitType.HARD,
                        OnExceed.BLOCK)
                .build(), scripts.provider(), store, Clock.systemUTC(), Sleeper.real());

        // Half on the caller's own threads (execute), half on the service's executor (executeAsync).
        List<Future<LlmResponse>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            boolean sync = i % 2 == 0;
            LlmRequest request = LlmRequest.builder("Review part " + i + (sync ? " on the caller's thread" : " on the executor"))
                    .agent("reviewer").build();
            calls.add(sync ? callers.submit(() -> llm.route(request).execute()) : llm.route(request).executeAsync());
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).as("all %d calls running", CALLS).isTrue();
        assertThat(reserved()).isPositive();

        llm.close();

        assertThat(store.refused).as("records refused by the closed store").hasValue(0);
        assertThat(store.atClose.get()).as("what the store held when it was closed").isNotNull();
        assertThat(store.atClose.get().records()).hasSize(CALLS)
                .allSatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
                    assertThat(r.errorCode()).contains(ErrorCode.CANCELLED.id());
                });
        assertThat(store.atClose.get().standing().reservedUsd()).as("reservations left open")
                .isEqualByComparingTo(BigDecimal.ZERO);
        for (Future<LlmResponse> f : calls) {
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        }
    }

    private BigDecimal reserved() {
        return standing(memory).reservedUsd();
    }

    private static BudgetStanding standing(InMemoryTelemetryStore memory) {
        Instant now = Instant.now();
        String today = BudgetWindow.containing(BudgetPeriod.DAILY, now, ZoneOffset.UTC).key();
        return memory.ledger().standing("team-daily", today, now);
    }

    /** What the store held when {@code close()} reached it. */
    private record Snapshot(List<InvocationRecord> records, BudgetStanding standing) {
    }

    /** The in-memory store, refusing records after close as a file store does ({@code LLM-042}). */
    private static final class RefusingAfterClose extends ForwardingTelemetryStore {
        private final InMemoryTelemetryStore memory;
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicReference<Snapshot> atClose = new AtomicReference<>();
        private volatile boolean closed;

        RefusingAfterClose(InMemoryTelemetryStore memory) {
            super(memory);
            this.memory = memory;
        }

        @Override
        public void record(InvocationRecord record) {
            if (closed) {
                refused.incrementAndGet();
                throw new LlmServiceException(ErrorCode.SERVICE_CLOSED, "the telemetry store is closed; record(...)"
                        + " came after close()");
            }
            super.record(record);
        }

        @Override
        public void close() {
            atClose.compareAndSet(null, new Snapshot(memory.all(), standing(memory)));
            closed = true;
            super.close();
        }
    }

}
