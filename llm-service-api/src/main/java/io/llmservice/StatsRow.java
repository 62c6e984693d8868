package io.llmservice;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One line of a stats report: one period and one group.
 *
 * <p>{@code requests} counts the distinct requests whose first attempt in the group (lowest attempt
 * number, a refusal's 0 included) is in the period; {@code succeeded} those among them with a
 * successful attempt in the group, whenever that attempt came. So a request whose attempts straddle
 * a period boundary counts once, in the period of its first attempt in the group, and
 * {@code succeeded <= requests} always; a later period may show its retries as attempts with no
 * request. Agent and team belong to the request, tool and model to each attempt: a request that
 * fell back from one model to another counts once under each model, in the period of its first
 * attempt there. By model, an attempt whose tool reported a per-model breakdown
 * ({@link io.llmservice.spi.InvocationRecord#modelUsage()}, e.g. a haiku sub-agent inside a sonnet
 * call) books each model's tokens and cost under that model, and the request counts under each of
 * them; the attempt and its latency count under the requested model. Totals over all groups are
 * the same as without the split. Attempts, tokens, cost and latencies are over attempts (number
 * &ge; 1) in the period; a refusal before running counts as a request only.
 *
 * <p>p50 and p95 are nearest-rank percentiles (the value at rank {@code ceil(p/100 × n)} of the
 * sorted latencies) read from a {@link io.llmservice.spi.LatencyHistogram}: within 2.2 % of the
 * exact value. Every store computes rows from quarter-hour rollups
 * ({@link io.llmservice.spi.RollupStats}), so a {@link StatsQuery}'s {@code since} and
 * {@code until} are widened to whole quarter-hours.
 *
 * <pre>{@code
 * for (StatsRow row : llm.stats(query).rows()) {
 *     System.out.printf("%s %-20s %5d requests %5.1f%% ok  $%s  p95 %d ms%n", row.period(), row.group(),
 *             row.requests(), 100 * row.successRate(), row.costUsd(), row.p95Latency().toMillis());
 * }
 * }</pre>
 *
 * <p>A {@link io.llmservice.spi.TelemetryStore} builds its rows with {@link #builder()}:
 *
 * <pre>{@code
 * StatsRow row = StatsRow.builder().period("2026-12").group("code-reviewer")
 *         .requests(3).succeeded(2).attempts(4)
 *         .tokens(1200, 300, 50, 0).costUsd(new BigDecimal("0.0045"))
 *         .latency(Duration.ofMillis(850), Duration.ofMillis(2100))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param period          the period label: {@code 2026-12-01}, {@code 2026-W49} or {@code 2026-12}
 * @param group           the agent, team, model or tool ({@code ""} for none, e.g. an agent without a team)
 * @param requests        distinct requests whose first attempt in the group is in the period
 * @param succeeded       of those, the requests that succeeded in the group
 * @param attempts        attempts (rows of the invocation log)
 * @param inputTokens     sum of known input tokens
 * @param outputTokens    sum of known output tokens
 * @param cacheReadTokens sum of known cache-read tokens
 * @param cacheWriteTokens sum of known cache-write tokens
 * @param costUsd         sum of known costs
 * @param p50Latency      median attempt latency (nearest rank, within 2.2 %)
 * @param p95Latency      95th percentile attempt latency (nearest rank, within 2.2 %)
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

    /**
     * A builder with nothing set: {@code period} and {@code group} are required; counts and tokens
     * default to 0, the cost to zero and both latencies to {@link Duration#ZERO}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code succeeded / requests}, 0 when there were no requests. */
    public double successRate() {
        return requests == 0 ? 0 : (double) succeeded / requests;
    }

    /** Builds {@link StatsRow}s; see {@link StatsRow#builder()} for the defaults. Not thread-safe. */
    public static final class Builder {
        private String period;
        private String group;
        private long requests;
        private long succeeded;
        private long attempts;
        private long inputTokens;
        private long outputTokens;
        private long cacheReadTokens;
        private long cacheWriteTokens;
        private BigDecimal costUsd = BigDecimal.ZERO;
        private Duration p50Latency = Duration.ZERO;
        private Duration p95Latency = Duration.ZERO;

        private Builder() {
        }

        public Builder period(String period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        public Builder group(String group) {
            this.group = Objects.requireNonNull(group, "group");
            return this;
        }

        public Builder requests(long requests) {
            this.requests = requests;
            return this;
        }

        public Builder succeeded(long succeeded) {
            this.succeeded = succeeded;
            return this;
        }

        public Builder attempts(long attempts) {
            this.attempts = attempts;
            return this;
        }

        /** Sums of known input, output, cache-read and cache-write tokens. */
        public Builder tokens(long input, long output, long cacheRead, long cacheWrite) {
            this.inputTokens = input;
            this.outputTokens = output;
            this.cacheReadTokens = cacheRead;
            this.cacheWriteTokens = cacheWrite;
            return this;
        }

        public Builder costUsd(BigDecimal costUsd) {
            this.costUsd = Objects.requireNonNull(costUsd, "costUsd");
            return this;
        }

        /** The median and 95th percentile attempt latencies. */
        public Builder latency(Duration p50, Duration p95) {
            this.p50Latency = Objects.requireNonNull(p50, "p50Latency");
            this.p95Latency = Objects.requireNonNull(p95, "p95Latency");
            return this;
        }

        /**
         * The row.
         *
         * @throws IllegalStateException    when {@code period} or {@code group} was not set
         * @throws IllegalArgumentException when a count is negative or more requests succeeded than
         *                                  were made, naming the values
         */
        public StatsRow build() {
            if (period == null) {
                throw new IllegalStateException("StatsRow.period is required and was not set");
            }
            if (group == null) {
                throw new IllegalStateException("StatsRow.group is required and was not set");
            }
            long[] counts = {requests, succeeded, attempts, inputTokens, outputTokens, cacheReadTokens,
                    cacheWriteTokens};
            String[] names = {"requests", "succeeded", "attempts", "inputTokens", "outputTokens",
                    "cacheReadTokens", "cacheWriteTokens"};
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] < 0) {
                    throw new IllegalArgumentException("StatsRow." + names[i] + " must be >= 0, was " + counts[i]);
                }
            }
            if (succeeded > requests) {
                throw new IllegalArgumentException("StatsRow.succeeded must be <= requests, was " + succeeded
                        + " of " + requests);
            }
            return new StatsRow(period, group, requests, succeeded, attempts, inputTokens, outputTokens,
                    cacheReadTokens, cacheWriteTokens, costUsd, p50Latency, p95Latency);
        }
    }
}
