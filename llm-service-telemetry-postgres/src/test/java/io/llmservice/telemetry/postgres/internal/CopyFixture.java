package io.llmservice.telemetry.postgres.internal;

import io.llmservice.Complexity;
import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.TelemetryStore;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * A populated source store for the copy tests: requests of one to three attempts (failed ones
 * before the success), refusals (attempt 0), labels, per-model shares of sub-agents, full text on
 * some; and a budget ledger with two budgets holding settled, released and expired reservations.
 */
final class CopyFixture {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    static final String DAILY = "platform-daily";
    static final String MONTHLY = "global-monthly";
    static final String DAY = "2026-12-01";
    static final String MONTH = "2026-12";
    private static final String[] AGENTS = {"reviewer", "planner", "tester"};
    private static final String[] MODELS = {"claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5-codex"};

    private CopyFixture() {
    }

    /** Writes {@code requests} requests' records; returns their request ids. */
    static List<String> records(TelemetryStore store, int requests, long seed) {
        Random rnd = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            String id = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
            ids.add(id);
            Instant start = T0.plus(Duration.ofMinutes(rnd.nextInt(60 * 24 * 20)));
            String agent = AGENTS[rnd.nextInt(AGENTS.length)];
            Optional<String> team = rnd.nextInt(4) == 0 ? Optional.empty() : Optional.of(agent.equals("reviewer")
                    ? "platform" : "web");
            if (rnd.nextInt(10) == 0) {
                store.record(base(id, 0, start, agent, team, MODELS[0]).outcome(Outcome.BUDGET_BLOCKED)
                        .errorCode("LLM-020").errorSummary("budget platform-daily exhausted")
                        .routeInput(routeInput(i)).build());
                continue;
            }
            int attempts = 1 + rnd.nextInt(3);
            for (int a = 1; a <= attempts; a++) {
                String model = MODELS[rnd.nextInt(MODELS.length)];
                InvocationRecord.Builder b = base(id, a, start.plusSeconds(a * 7L), agent, team, model)
                        .latency(Duration.ofMillis(200 + rnd.nextInt(30_000)));
                if (a < attempts) {
                    b.outcome(Outcome.FAILED).exitCode(1).errorCode("LLM-032").errorSummary("overloaded (529)");
                } else {
                    long in = 100 + rnd.nextInt(50_000);
                    long out = 10 + rnd.nextInt(5_000);
                    BigDecimal cost = BigDecimal.valueOf(rnd.nextInt(2_000_000), 7);
                    b.outcome(Outcome.SUCCESS).exitCode(0).usage(Usage.of(in, out, rnd.nextInt(1000), 0))
                            .costUsd(cost).costSource(CostSource.TOOL_REPORTED).reservedUsd(new BigDecimal("0.05"));
                    if (rnd.nextInt(3) == 0) {
                        BigDecimal share = cost.divide(BigDecimal.valueOf(4));
                        b.modelUsage(List.of(
                                new ModelUsage(model, Usage.of(in - 10, out - 5, 0, 0), Optional.of(cost.subtract(share))),
                                new ModelUsage(model.equals(MODELS[1]) ? MODELS[0] : MODELS[1], Usage.of(10, 5, 0, 0),
                                        Optional.of(share))));
                    }
                    if (rnd.nextInt(5) == 0) {
                        b.promptText("review the diff " + i).responseText("looks fine\nüñí " + i);
                    }
                }
                if (rnd.nextInt(2) == 0) {
                    b.label("ticket", "JIRA-" + rnd.nextInt(1000)).label("branch", "feature/" + (i % 7));
                }
                store.record(b.routeInput(routeInput(i)).build());
            }
        }
        store.flush();
        return ids;
    }

    /** What routing decided request {@code i} from; none for every fifth (logged before it was kept). */
    static Optional<RouteInput> routeInput(int i) {
        if (i % 5 == 0) {
            return Optional.empty();
        }
        Complexity[] hints = Complexity.values();
        return Optional.of(RouteInput.builder(40L * i).complexity(Optional.ofNullable(i % 4 == 0 ? null : hints[i % 3]))
                .tool(Optional.ofNullable(i % 3 == 0 ? "claude-code" : null))
                .model(Optional.ofNullable(i % 6 == 0 ? MODELS[i % 3] : null)).build());
    }

    private static InvocationRecord.Builder base(String id, int attempt, Instant start, String agent,
                                                 Optional<String> team, String model) {
        return InvocationRecord.builder().requestId(id).attempt(attempt).startedAt(start).agent(agent).team(team)
                .tool("claude-code").model(model).outcome(Outcome.SUCCESS).costSource(CostSource.UNKNOWN)
                .latency(Duration.ofMillis(1)).errorSummary("");
    }

    /**
     * Two budgets: settled, released and expired-unsettled reservations in each. Every reservation is
     * closed by {@code now}.
     */
    static void ledger(BudgetLedger ledger, Instant now) {
        for (String[] p : new String[][] {{DAILY, DAY}, {MONTHLY, MONTH}}) {
            for (int i = 0; i < 6; i++) {
                String id = reserve(ledger, p[0], p[1], "req-" + p[0] + "-" + i, new BigDecimal("0.40"), now,
                        now.plusSeconds(3600));
                if (i % 3 == 2) {
                    ledger.release(id);
                } else {
                    ledger.settle(id, new BigDecimal("0.1" + i));
                }
            }
            // A call whose process died: the reservation expired unsettled and is charged at its amount.
            reserve(ledger, p[0], p[1], "req-" + p[0] + "-dead", new BigDecimal("0.25"), now.minusSeconds(7200),
                    now.minusSeconds(3600));
            ledger.standing(p[0], p[1], now);
        }
    }

    static String reserve(BudgetLedger ledger, String budget, String period, String requestId, BigDecimal amount,
                          Instant now, Instant expires) {
        return ledger.reserve(ReservationRequest.builder(budget, period).limitUsd(new BigDecimal("1000"))
                .amountUsd(amount).call(requestId, 1, "reviewer", "claude-code", "claude-sonnet-4-5").now(now)
                .expiresAt(expires).build()).reservationId().orElseThrow();
    }
}
