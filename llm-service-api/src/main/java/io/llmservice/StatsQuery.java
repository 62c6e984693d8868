package io.llmservice;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * What a stats report covers: bucket size, grouping, time window and the zone periods are cut in.
 *
 * <pre>{@code
 * StatsReport month = llm.stats(StatsQuery.builder()
 *         .period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT)
 *         .since(Instant.parse("2026-11-01T00:00:00Z"))
 *         .build());
 * }</pre>
 *
 * @param period  day, week or month buckets
 * @param groupBy agent, team, model or tool
 * @param since   inclusive lower bound on the attempt's start time, when set; rounded down to a quarter-hour
 *                (UTC), as stats are kept per quarter-hour ({@link io.llmservice.spi.RollupStats})
 * @param until   exclusive upper bound, when set; rounded up to a quarter-hour
 * @param zone    the zone periods are computed in (default: {@code policies.timezone} when run through a
 *                service, else UTC)
 */
public record StatsQuery(StatsPeriod period, StatsDimension groupBy, Optional<Instant> since, Optional<Instant> until,
                         ZoneId zone) {
    public StatsQuery {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(groupBy, "groupBy");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(zone, "zone");
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new IllegalArgumentException("since (" + since.get() + ") must be before until (" + until.get() + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link StatsQuery}s; defaults: month buckets grouped by agent, all time, UTC. */
    public static final class Builder {
        private StatsPeriod period = StatsPeriod.MONTH;
        private StatsDimension groupBy = StatsDimension.AGENT;
        private Instant since;
        private Instant until;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        public Builder period(StatsPeriod period) {
            this.period = Objects.requireNonNull(period, "period");
            return this;
        }

        public Builder groupBy(StatsDimension groupBy) {
            this.groupBy = Objects.requireNonNull(groupBy, "groupBy");
            return this;
        }

        public Builder since(Instant since) {
            this.since = Objects.requireNonNull(since, "since");
            return this;
        }

        public Builder until(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public StatsQuery build() {
            return new StatsQuery(period, groupBy, Optional.ofNullable(since), Optional.ofNullable(until), zone);
        }
    }
}
