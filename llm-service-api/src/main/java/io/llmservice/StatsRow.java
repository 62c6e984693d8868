package io.llmservice;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One line of a stats report: one period and one group.
 *
 * <p>{@code requests} counts distinct requests with at least one attempt (or refusal) in the
 * group; {@code succeeded} those among them with a successful attempt in the group. Tokens, cost
 * and latencies are over attempts. A request that fell back from one model to another counts once
 * under each model.
 *
 * <pre>{@code
 * for (StatsRow row : llm.stats(query).rows()) {
 *     System.out.printf("%s %-20s %5d requests %5.1f%% ok  $%s  p95 %d ms%n", row.period(), row.group(),
 *             row.requests(), 100 * row.successRate(), row.costUsd(), row.p95Latency().toMillis());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param period          the period label: {@code 2026-12-01}, {@code 2026-W49} or {@code 2026-12}
 * @param group           the agent, team, model or tool ({@code ""} for none, e.g. an agent without a team)
 * @param requests        distinct requests
 * @param succeeded       requests that succeeded
 * @param attempts        attempts (rows of the invocation log)
 * @param inputTokens     sum of known input tokens
 * @param outputTokens    sum of known output tokens
 * @param cacheReadTokens sum of known cache-read tokens
 * @param cacheWriteTokens sum of known cache-write tokens
 * @param costUsd         sum of known costs
 * @param p50Latency      median attempt latency
 * @param p95Latency      95th percentile attempt latency
 */
public record StatsRow(String period, String group, long requests, long succeeded, long attempts, long inputTokens,
                       long outputTokens, long cacheReadTokens, long cacheWriteTokens, BigDecimal costUsd,
                       Duration p50Latency, Duration p95Latency) {
    public StatsRow {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(p50Latency, "p50Latency");
        Objects.requireNonNull(p95Latency, "p95Latency");
    }

    /** {@code succeeded / requests}, 0 when there were no requests. */
    public double successRate() {
        return requests == 0 ? 0 : (double) succeeded / requests;
    }
}
