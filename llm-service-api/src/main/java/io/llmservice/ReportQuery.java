package io.llmservice;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link SpendReport} covers: a window of days, the dimension its spend is stacked by and the
 * zone its days are cut in.
 *
 * <p>The window is one of: a calendar {@link StatsPeriod} (the day, ISO week or month holding
 * {@code from}, or holding now when {@code from} is not set); or {@code from} to {@code to}
 * ({@code to} exclusive; now when not set). Bounds are widened to whole quarter-hours, as for
 * {@link StatsQuery} (reports are read from the same quarter-hour rollups).
 *
 * <pre>{@code
 * SpendReport thisMonth = llm.report(ReportQuery.builder().period(StatsPeriod.MONTH).by(StatsDimension.TEAM).build());
 * SpendReport november = llm.report(ReportQuery.builder()
 *         .from(Instant.parse("2026-11-01T00:00:00Z")).to(Instant.parse("2026-12-01T00:00:00Z")).build());
 * try (Writer out = Files.newBufferedWriter(Path.of("spend.html"))) {
 *     llm.writeReport(november, out);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param period a calendar period: the one holding {@code from} (or now); empty for a {@code from}/{@code to} window
 * @param from   the window's start (inclusive), or the instant whose {@code period} is reported
 * @param to     the window's end (exclusive); only without {@code period}; empty for now
 * @param by     what spend per day is stacked by (default {@link StatsDimension#AGENT})
 * @param zone   the zone days and periods are cut in; empty for {@code policies.timezone}
 */
public record ReportQuery(Optional<StatsPeriod> period, Optional<Instant> from, Optional<Instant> to,
                          StatsDimension by, Optional<ZoneId> zone) {
    public ReportQuery {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(zone, "zone");
        if (period.isPresent() && to.isPresent()) {
            throw new IllegalArgumentException("a report covers a period or a window from..to, not both: period "
                    + period.get().yamlName() + " and to " + to.get() + " were given; drop one");
        }
        if (period.isEmpty() && from.isEmpty()) {
            throw new IllegalArgumentException("a report needs a period (day, week, month) or a from instant");
        }
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new IllegalArgumentException("a report's from (" + from.get() + ") must be before its to ("
                    + to.get() + ")");
        }
    }

    /** A builder; defaults: the current month, spend by agent, {@code policies.timezone}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ReportQuery}s. Not thread-safe. */
    public static final class Builder {
        private StatsPeriod period;
        private boolean periodSet;
        private Instant from;
        private Instant to;
        private StatsDimension by = StatsDimension.AGENT;
        private ZoneId zone;

        private Builder() {
        }

        /** The calendar period holding {@code from}, or now. */
        public Builder period(StatsPeriod period) {
            this.period = Objects.requireNonNull(period, "period");
            this.periodSet = true;
            return this;
        }

        public Builder from(Instant from) {
            this.from = Objects.requireNonNull(from, "from");
            return this;
        }

        public Builder to(Instant to) {
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        public Builder by(StatsDimension by) {
            this.by = Objects.requireNonNull(by, "by");
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The query; without a period and without {@code from} it is the current month.
         *
         * @throws IllegalArgumentException when a period and {@code to} are both set, or {@code from} is not
         *                                  before {@code to}
         */
        public ReportQuery build() {
            StatsPeriod p = periodSet ? period : (from == null ? StatsPeriod.MONTH : null);
            return new ReportQuery(Optional.ofNullable(p), Optional.ofNullable(from), Optional.ofNullable(to), by,
                    Optional.ofNullable(zone));
        }
    }
}
