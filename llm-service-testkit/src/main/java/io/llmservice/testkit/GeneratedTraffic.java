package io.llmservice.testkit;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A deterministic stretch of recorded traffic, as the service writes it, for reports, stats and
 * benchmarks: five agents in three teams (one without), two tools, three models; successes, retries,
 * fallbacks to the other tool, timeouts, failures, budget refusals (a {@code budget_blocked} attempt,
 * sometimes followed by a fallback that runs), requests no route could serve, and a sonnet call whose
 * haiku sub-agent reports its own share. Weekdays are busier than weekends; calls cluster in working
 * hours of {@code zone}. Costs follow the models' list prices per million tokens.
 *
 * <pre>{@code
 * TelemetryStore store = ...;
 * new GeneratedTraffic(42, ZoneId.of("Europe/Berlin"), 40)
 *         .between(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1), store::record);
 * store.flush();
 * }</pre>
 *
 * <p>Records come in start order per request (attempts in order), requests in time order. Thread-safe
 * (stateless: each call starts its own random sequence from the seed).
 */
public final class GeneratedTraffic {
    /** Agents, their teams ({@code ""} for none) and their usual prompt size in tokens. */
    public static final List<String> AGENTS = List.of("code-reviewer", "test-writer", "doc-writer", "triage",
            "release-notes");
    private static final List<String> TEAMS = List.of("platform", "platform", "docs", "", "docs");
    private static final int[] PROMPT = {12_000, 8_000, 5_000, 1_500, 3_000};
    /** Models with input and output prices in USD per million tokens. */
    private static final String[] MODELS = {"claude-sonnet-4-5", "claude-haiku-4-5", "gpt-5-codex"};
    private static final String[] TOOL_OF = {"claude", "claude", "codex"};
    private static final double[][] PRICE = {{3, 15}, {1, 5}, {1.25, 10}};

    private final long seed;
    private final ZoneId zone;
    private final int requestsPerWeekday;

    /**
     * @param seed              the random sequence
     * @param zone              the zone whose working hours and weekdays shape the traffic
     * @param requestsPerWeekday requests per weekday (weekend days get a fifth)
     */
    public GeneratedTraffic(long seed, ZoneId zone, int requestsPerWeekday) {
        this.seed = seed;
        this.zone = Objects.requireNonNull(zone, "zone");
        if (requestsPerWeekday < 1) {
            throw new IllegalArgumentException("requestsPerWeekday must be >= 1, was " + requestsPerWeekday);
        }
        this.requestsPerWeekday = requestsPerWeekday;
    }

    /** Passes the records of the requests of the days {@code [from, to)} to {@code sink}; returns the request count. */
    public long between(LocalDate from, LocalDate to, Consumer<InvocationRecord> sink) {
        Random rnd = new Random(seed);
        long n = 0;
        for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            boolean weekend = day.getDayOfWeek().getValue() >= 6;
            int requests = weekend ? Math.max(1, requestsPerWeekday / 5) : requestsPerWeekday;
            Instant start = day.atTime(8, 0).atZone(zone).toInstant();
            long spreadMillis = Duration.ofHours(11).toMillis();
            long[] offsets = new long[requests];
            for (int i = 0; i < requests; i++) {
                offsets[i] = (long) (rnd.nextDouble() * spreadMillis);
            }
            java.util.Arrays.sort(offsets);
            for (int i = 0; i < requests; i++) {
                request(rnd, day + "-" + i, start.plusMillis(offsets[i]), sink);
                n++;
            }
        }
        return n;
    }

    private void request(Random rnd, String id, Instant at, Consumer<InvocationRecord> sink) {
        int a = pick(rnd, new double[] {0.35, 0.25, 0.15, 0.15, 0.10});
        String agent = AGENTS.get(a);
        String team = TEAMS.get(a);
        int model = a == 3 ? 1 : (a == 1 ? 2 : 0);
        double roll = rnd.nextDouble();
        int prompt = (int) (PROMPT[a] * (0.5 + rnd.nextDouble()));
        String requestId = "gen-" + id;
        if (roll < 0.01) {
            sink.accept(base(requestId, 0, at, agent, team, "", "", Outcome.NO_ROUTE).build());
            return;
        }
        if (roll < 0.04) {
            // A budget refuses the first candidate; the fallback to the other tool runs, or is refused too.
            sink.accept(base(requestId, 1, at, agent, team, TOOL_OF[model], MODELS[model], Outcome.BUDGET_BLOCKED)
                    .latency(Duration.ofMillis(2)).build());
            int other = model == 2 ? 0 : 2;
            Outcome second = rnd.nextBoolean() ? Outcome.SUCCESS : Outcome.BUDGET_BLOCKED;
            sink.accept(attempt(rnd, requestId, 2, at.plusMillis(3), agent, team, other, prompt, second));
            return;
        }
        Outcome first;
        if (roll < 0.09) {
            first = Outcome.FAILED;
        } else if (roll < 0.12) {
            first = Outcome.TIMEOUT;
        } else {
            first = Outcome.SUCCESS;
        }
        InvocationRecord r1 = attempt(rnd, requestId, 1, at, agent, team, model, prompt, first);
        if (first == Outcome.SUCCESS && model == 0 && rnd.nextDouble() < 0.3) {
            r1 = withHaikuShare(rnd, r1);
        }
        sink.accept(r1);
        if (first != Outcome.SUCCESS) {
            // Retry on the same model once, then fall back to the other tool.
            Instant next = at.plus(r1.latency()).plusMillis(500);
            boolean retry = rnd.nextBoolean();
            int m2 = retry ? model : (model == 2 ? 0 : 2);
            Outcome second = rnd.nextDouble() < 0.8 ? Outcome.SUCCESS : Outcome.FAILED;
            sink.accept(attempt(rnd, requestId, 2, next, agent, team, m2, prompt, second));
        }
    }

    private InvocationRecord attempt(Random rnd, String id, int n, Instant at, String agent, String team, int model,
                                     int prompt, Outcome outcome) {
        if (outcome == Outcome.BUDGET_BLOCKED) {
            return base(id, n, at, agent, team, TOOL_OF[model], MODELS[model], outcome).latency(Duration.ofMillis(2))
                    .build();
        }
        long latencyMs = outcome == Outcome.TIMEOUT ? 300_000
                : (long) ((model == 1 ? 2_000 : 9_000) * Math.exp(rnd.nextGaussian() * 0.5));
        InvocationRecord.Builder b = base(id, n, at, agent, team, TOOL_OF[model], MODELS[model], outcome)
                .latency(Duration.ofMillis(latencyMs));
        if (outcome == Outcome.SUCCESS || outcome == Outcome.FAILED) {
            long in = outcome == Outcome.SUCCESS ? prompt : prompt / 2;
            long out = outcome == Outcome.SUCCESS ? (long) (prompt * (0.1 + 0.2 * rnd.nextDouble())) : 0;
            long cacheRead = model == 0 ? (long) (in * 2 * rnd.nextDouble()) : 0;
            long cacheWrite = model == 0 ? in / 10 : 0;
            b.usage(Usage.of(in, out, cacheRead, cacheWrite)).costUsd(cost(model, in, out, cacheRead, cacheWrite))
                    .costSource(CostSource.COMPUTED);
        }
        return b.build();
    }

    private static InvocationRecord withHaikuShare(Random rnd, InvocationRecord r) {
        long in = 2_000 + rnd.nextInt(3_000);
        long out = 300 + rnd.nextInt(500);
        BigDecimal share = cost(1, in, out, 0, 0);
        Usage u = r.usage();
        return r.toBuilder()
                .usage(Usage.of(u.inputTokens().orElse(0) + in, u.outputTokens().orElse(0) + out,
                        u.cacheReadTokens().orElse(0), u.cacheWriteTokens().orElse(0)))
                .costUsd(r.costUsd().orElse(BigDecimal.ZERO).add(share))
                .modelUsage(List.of(new ModelUsage(MODELS[1], Usage.of(in, out, 0, 0), Optional.of(share)))).build();
    }

    private static BigDecimal cost(int model, long in, long out, long cacheRead, long cacheWrite) {
        double usd = (in * PRICE[model][0] + out * PRICE[model][1] + cacheRead * PRICE[model][0] * 0.1
                + cacheWrite * PRICE[model][0] * 1.25) / 1e6;
        return BigDecimal.valueOf(usd).setScale(6, RoundingMode.HALF_UP);
    }

    private static InvocationRecord.Builder base(String id, int n, Instant at, String agent, String team, String tool,
                                                 String model, Outcome outcome) {
        return InvocationRecord.builder().requestId(id).attempt(n).startedAt(at).agent(agent)
                .team(team.isEmpty() ? Optional.empty() : Optional.of(team)).tool(tool).model(model).outcome(outcome)
                .usage(Usage.unknown()).costUsd(Optional.empty()).costSource(CostSource.UNKNOWN)
                .latency(Duration.ZERO);
    }

    private static int pick(Random rnd, double[] weights) {
        double r = rnd.nextDouble();
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
