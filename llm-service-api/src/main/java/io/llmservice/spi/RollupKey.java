package io.llmservice.spi;

import io.llmservice.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which rollup row an attempt is counted in: its quarter-hour, the request's agent and team, the
 * attempt's tool and model (or a sub-agent's model) and its outcome. One {@link RollupRow} per key.
 *
 * <p><b>Why a quarter-hour.</b> Reports are cut into days in the query's zone. Every zone in use
 * today is a whole number of quarter-hours from UTC (Asia/Kolkata +05:30, Asia/Kathmandu +05:45,
 * Pacific/Chatham +12:45), and so are its DST changes, so every quarter-hour lies in one local
 * day in every zone and a report is exact in any of them. An hour would split Kolkata's midnight
 * (18:30 UTC). For an offset that is not a whole quarter-hour (only historic local mean times), a
 * bucket counts in the period holding its start.
 *
 * <pre>{@code
 * RollupKey key = new RollupKey(RollupKey.bucketStart(record.startedAt()), "code-reviewer", "platform",
 *         "claude", "claude-sonnet-4-5", Outcome.SUCCESS);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param start   the bucket's start, UTC, a multiple of {@link #BUCKET} since the epoch
 * @param agent   the request's agent
 * @param team    the request's team, {@code ""} for none
 * @param tool    the attempt's tool ({@code ""} when no route was found)
 * @param model   the attempt's model, or a sub-agent's model for its share ({@code ""} when no route was found)
 * @param outcome the attempt's outcome
 */
public record RollupKey(Instant start, String agent, String team, String tool, String model, Outcome outcome) {
    /** The width of a bucket: 15 minutes. */
    public static final Duration BUCKET = Duration.ofMinutes(15);

    public RollupKey {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        if (!start.equals(bucketStart(start))) {
            throw new IllegalArgumentException("RollupKey.start must be the start of a " + BUCKET.toMinutes()
                    + "-minute bucket, was " + start + " (use RollupKey.bucketStart)");
        }
    }

    /** The start of the bucket holding {@code t}: {@code t} rounded down to a quarter-hour (UTC). */
    public static Instant bucketStart(Instant t) {
        long width = BUCKET.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), width) * width);
    }

    /** The same key for another model (a sub-agent's share). */
    public RollupKey withModel(String model) {
        return new RollupKey(start, agent, team, tool, model, outcome);
    }
}
