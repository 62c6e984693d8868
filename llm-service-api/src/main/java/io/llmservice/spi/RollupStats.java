package io.llmservice.spi;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The read side of the rollups: a {@link StatsReport} from the {@link RollupRow}s of a window. A pure
 * function; every store answers {@link TelemetryStore#stats} with it, so memory, H2 and PostgreSQL
 * give the same report for the same records.
 *
 * <pre>{@code
 * Instant from = RollupStats.windowStart(query).orElse(Instant.MIN);   // a database: WHERE start >= ?
 * Optional<Instant> to = RollupStats.windowEnd(query);                 //              AND start < ?
 * StatsReport report = RollupStats.report(query, rowsBetween(from, to));
 * }</pre>
 *
 * <p><b>Window.</b> Rows are whole quarter-hours ({@link RollupKey#BUCKET}), so a bound that is not
 * on a quarter-hour widens the window to the quarter-hour holding it: {@code since} is rounded down,
 * {@code until} up. A report from 10:07 counts the attempts from 10:00. Day, week and month bounds
 * in any zone in use today are on quarter-hours and exact.
 *
 * <p><b>Periods and groups.</b> A row counts in the period ({@link io.llmservice.StatsPeriod#label})
 * of its quarter-hour's local date in the query's zone, under its agent, team, tool or model
 * ({@link RollupRow#group}); requests and succeeded are the row counters of that grouping
 * ({@link RollupRow#requests}), the rest is summed, and p50/p95 come from the merged histogram
 * ({@link LatencyHistogram#percentile}, within {@value LatencyHistogram#MAX_RELATIVE_ERROR_PERCENT} %).
 * A period and group appear when a row of the window has them. Thread-safe (stateless).
 */
public final class RollupStats {
    private RollupStats() {
    }

    /** The first bucket start a report of {@code query} reads: {@code since} rounded down to a quarter-hour. */
    public static Optional<Instant> windowStart(StatsQuery query) {
        return query.since().map(RollupKey::bucketStart);
    }

    /** The bucket start a report of {@code query} stops before: {@code until} rounded up to a quarter-hour. */
    public static Optional<Instant> windowEnd(StatsQuery query) {
        return query.until().map(u -> {
            Instant start = RollupKey.bucketStart(u);
            return start.equals(u) ? u : start.plus(RollupKey.BUCKET);
        });
    }

    /** True when a row of this bucket start is in the query's window. */
    public static boolean inWindow(StatsQuery query, Instant bucketStart) {
        return inWindow(windowStart(query).orElse(Instant.MIN), windowEnd(query).orElse(Instant.MAX), bucketStart);
    }

    private static boolean inWindow(Instant from, Instant to, Instant bucketStart) {
        return !bucketStart.isBefore(from) && bucketStart.isBefore(to);
    }

    /**
     * The report of {@code query} from {@code rows}: rows outside the window are skipped, rows of the
     * same key are added up.
     */
    public static StatsReport report(StatsQuery query, Collection<RollupRow> rows) {
        Map<String, Map<String, Sum>> periods = new HashMap<>();
        // Many rows share a quarter-hour; labelling each once keeps a report of a million rows fast.
        Map<Instant, String> labels = new HashMap<>();
        Instant from = windowStart(query).orElse(Instant.MIN);
        Instant to = windowEnd(query).orElse(Instant.MAX);
        for (RollupRow row : rows) {
            if (!inWindow(from, to, row.key().start())) {
                continue;
            }
            String period = labels.computeIfAbsent(row.key().start(),
                    start -> query.period().label(LocalDate.ofInstant(start, query.zone())));
            periods.computeIfAbsent(period, p -> new HashMap<>())
                    .computeIfAbsent(row.group(query.groupBy()), g -> new Sum()).add(query, row);
        }
        List<StatsRow> out = new ArrayList<>();
        new TreeMap<>(periods).forEach((period, groups) -> new TreeMap<>(groups).forEach((group, sum) -> {
            LatencyHistogram latency = sum.latency.build();
            out.add(StatsRow.builder().period(period).group(group).requests(sum.requests).succeeded(sum.succeeded)
                    .attempts(sum.attempts).tokens(sum.input, sum.output, sum.cacheRead, sum.cacheWrite)
                    .costUsd(sum.cost).latency(latency.percentile(50), latency.percentile(95)).build());
        }));
        return new StatsReport(query, out);
    }

    private static final class Sum {
        long requests;
        long succeeded;
        long attempts;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        BigDecimal cost = BigDecimal.ZERO;
        final LatencyHistogram.Builder latency = LatencyHistogram.builder();

        void add(StatsQuery query, RollupRow row) {
            requests += row.requests(query.groupBy());
            succeeded += row.succeeded(query.groupBy());
            attempts += row.attempts();
            input += row.inputTokens();
            output += row.outputTokens();
            cacheRead += row.cacheReadTokens();
            cacheWrite += row.cacheWriteTokens();
            cost = cost.add(row.costUsd());
            latency.add(row.latency());
        }
    }
}
