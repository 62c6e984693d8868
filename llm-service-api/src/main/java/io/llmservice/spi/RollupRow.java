package io.llmservice.spi;

import io.llmservice.StatsDimension;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One row of the stats rollups: additive counters of the attempts with one {@link RollupKey}. A
 * store keeps one row per key and adds every {@link RollupContributions#of contribution} to it
 * ({@link #plus}: counters added, histograms merged); {@link RollupStats#report} turns the rows of a
 * window into a report. The same rows, added up the same way, give the same report in every store.
 *
 * <p><b>Distinct requests, additively.</b> A request's attempts can land in several rows (a
 * fallback to another tool or model, another outcome, a later quarter-hour). So that rows can
 * simply be added, each request is counted in exactly one row per grouping: {@code requestsByRequest}
 * in the row of its first attempt (agent and team are the request's, the same for all its
 * attempts), {@code requestsByTool} in the row of its first attempt on that tool,
 * {@code requestsByModel} in the row of its first attempt booked under that model (a sub-agent's
 * share included). Each {@code succeeded*} counter is 1 in the same row as the matching
 * {@code requests*} one when the request succeeded in that group, whenever the success came; so
 * {@code succeeded <= requests} holds for every group and period.
 *
 * <pre>{@code
 * RollupRow row = RollupRow.builder(key).attempts(1).requests(1, 1, 1).succeeded(1, 1, 1)
 *         .tokens(1200, 300, 0, 0).costUsd(new BigDecimal("0.0081"))
 *         .latency(LatencyHistogram.of(Duration.ofMillis(4200)))
 *         .build();
 * RollupRow sum = row.plus(another);                   // same key
 * }</pre>
 *
 * <p>Counters are sums of contributions and may be any {@code long} in one contribution (a record's
 * own model gives up the tokens of its sub-agents' shares); the rows of a whole request add up to
 * non-negative totals. Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param key                the row's key
 * @param attempts           attempts (attempt number &ge; 1); a refusal or a sub-agent's share is none
 * @param requestsByRequest  requests whose first attempt (or refusal) is in this row
 * @param requestsByTool     requests whose first attempt on this row's tool is in this row
 * @param requestsByModel    requests whose first attempt booked under this row's model is in this row
 * @param succeededByRequest of {@code requestsByRequest}, those that succeeded
 * @param succeededByTool    of {@code requestsByTool}, those that succeeded on this tool
 * @param succeededByModel   of {@code requestsByModel}, those that succeeded in an attempt booked under this model
 * @param inputTokens        sum of known input tokens
 * @param outputTokens       sum of known output tokens
 * @param cacheReadTokens    sum of known cache-read tokens
 * @param cacheWriteTokens   sum of known cache-write tokens
 * @param costUsd            sum of known costs, exact
 * @param latency            the attempts' latencies
 */
public record RollupRow(RollupKey key, long attempts, long requestsByRequest, long requestsByTool,
                        long requestsByModel, long succeededByRequest, long succeededByTool, long succeededByModel,
                        long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                        BigDecimal costUsd, LatencyHistogram latency) {
    public RollupRow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(latency, "latency");
    }

    /** A builder for a row of {@code key} with every counter 0. */
    public static Builder builder(RollupKey key) {
        return new Builder(key);
    }

    /** A builder holding this row's values. */
    public Builder toBuilder() {
        return new Builder(key).attempts(attempts).requests(requestsByRequest, requestsByTool, requestsByModel)
                .succeeded(succeededByRequest, succeededByTool, succeededByModel)
                .tokens(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens).costUsd(costUsd)
                .latency(latency);
    }

    /** The distinct requests this row counts when reports group by {@code by}. */
    public long requests(StatsDimension by) {
        return switch (by) {
            case AGENT, TEAM -> requestsByRequest;
            case TOOL -> requestsByTool;
            case MODEL -> requestsByModel;
        };
    }

    /** The succeeded requests this row counts when reports group by {@code by}. */
    public long succeeded(StatsDimension by) {
        return switch (by) {
            case AGENT, TEAM -> succeededByRequest;
            case TOOL -> succeededByTool;
            case MODEL -> succeededByModel;
        };
    }

    /** This row's group when reports group by {@code by}: its agent, team, tool or model. */
    public String group(StatsDimension by) {
        return switch (by) {
            case AGENT -> key.agent();
            case TEAM -> key.team();
            case TOOL -> key.tool();
            case MODEL -> key.model();
        };
    }

    /**
     * The sum of this row and another of the same key: counters and cost added, histograms merged.
     *
     * @throws IllegalArgumentException when the keys differ
     * @throws ArithmeticException      when a counter overflows
     */
    public RollupRow plus(RollupRow other) {
        if (!key.equals(other.key)) {
            throw new IllegalArgumentException("cannot add rollup rows of different keys: " + key + " and " + other.key);
        }
        return new RollupRow(key, Math.addExact(attempts, other.attempts),
                Math.addExact(requestsByRequest, other.requestsByRequest),
                Math.addExact(requestsByTool, other.requestsByTool),
                Math.addExact(requestsByModel, other.requestsByModel),
                Math.addExact(succeededByRequest, other.succeededByRequest),
                Math.addExact(succeededByTool, other.succeededByTool),
                Math.addExact(succeededByModel, other.succeededByModel),
                Math.addExact(inputTokens, other.inputTokens), Math.addExact(outputTokens, other.outputTokens),
                Math.addExact(cacheReadTokens, other.cacheReadTokens),
                Math.addExact(cacheWriteTokens, other.cacheWriteTokens),
                costUsd.add(other.costUsd), latency.plus(other.latency));
    }

    /** Builds {@link RollupRow}s; every counter defaults to 0, the histogram to empty. Not thread-safe. */
    public static final class Builder {
        private final RollupKey key;
        private long attempts;
        private long requestsByRequest;
        private long requestsByTool;
        private long requestsByModel;
        private long succeededByRequest;
        private long succeededByTool;
        private long succeededByModel;
        private long inputTokens;
        private long outputTokens;
        private long cacheReadTokens;
        private long cacheWriteTokens;
        private BigDecimal costUsd = BigDecimal.ZERO;
        private LatencyHistogram latency = LatencyHistogram.empty();

        private Builder(RollupKey key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        public Builder attempts(long attempts) {
            this.attempts = attempts;
            return this;
        }

        /** The distinct-request counters: by request (agent, team), by tool, by model. */
        public Builder requests(long byRequest, long byTool, long byModel) {
            this.requestsByRequest = byRequest;
            this.requestsByTool = byTool;
            this.requestsByModel = byModel;
            return this;
        }

        /** The succeeded-request counters: by request (agent, team), by tool, by model. */
        public Builder succeeded(long byRequest, long byTool, long byModel) {
            this.succeededByRequest = byRequest;
            this.succeededByTool = byTool;
            this.succeededByModel = byModel;
            return this;
        }

        /** Sums of input, output, cache-read and cache-write tokens. */
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

        public Builder latency(LatencyHistogram latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        public RollupRow build() {
            return new RollupRow(key, attempts, requestsByRequest, requestsByTool, requestsByModel,
                    succeededByRequest, succeededByTool, succeededByModel, inputTokens, outputTokens,
                    cacheReadTokens, cacheWriteTokens, costUsd, latency);
        }
    }
}
