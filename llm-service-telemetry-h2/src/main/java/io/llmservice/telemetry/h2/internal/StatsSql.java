package io.llmservice.telemetry.h2.internal;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Answers a {@link StatsQuery} with one grouped SQL query, following {@link StatsRow}'s definitions:
 * requests and succeeded are distinct request ids (attempt-0 refusals included), attempts, tokens,
 * cost and latency are over attempts (attempt &ge; 1), percentiles are nearest-rank
 * ({@code PERCENTILE_DISC}: the value at rank ceil(p × n)). Periods come from {@link PeriodBuckets}.
 */
final class StatsSql {
    private StatsSql() {
    }

    static StatsReport run(Connection c, StatsQuery q) throws SQLException {
        long from;
        long to;
        // The window actually holding rows bounds the buckets to generate.
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(started_at_ns), MAX(started_at_ns) FROM invocation"
                + " WHERE started_at_ns >= ? AND started_at_ns < ?")) {
            ps.setLong(1, q.since().map(InvocationTable::nanos).orElse(Long.MIN_VALUE));
            ps.setLong(2, q.until().map(InvocationTable::nanos).orElse(Long.MAX_VALUE));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                from = rs.getLong(1);
                if (rs.wasNull()) {
                    return new StatsReport(q, List.of());
                }
                to = rs.getLong(2);
            }
        }
        PeriodBuckets buckets = PeriodBuckets.covering(q.period(), q.zone(), from, to);
        String group = switch (q.groupBy()) {
            case AGENT -> "agent";
            case TEAM -> "COALESCE(team, '')";
            case MODEL -> "model";
            case TOOL -> "tool";
        };
        String sql = "SELECT " + buckets.bucketExpression("started_at_ns") + " AS bucket, " + group + " AS grp,"
                + " COUNT(DISTINCT request_id),"
                + " COUNT(DISTINCT CASE WHEN outcome = 'success' THEN request_id END),"
                + " COUNT(*) FILTER (WHERE attempt > 0),"
                + " SUM(input_tokens) FILTER (WHERE attempt > 0),"
                + " SUM(output_tokens) FILTER (WHERE attempt > 0),"
                + " SUM(cache_read_tokens) FILTER (WHERE attempt > 0),"
                + " SUM(cache_write_tokens) FILTER (WHERE attempt > 0),"
                + " SUM(cost_usd) FILTER (WHERE attempt > 0),"
                + " PERCENTILE_DISC(0.5) WITHIN GROUP (ORDER BY latency_ns) FILTER (WHERE attempt > 0),"
                + " PERCENTILE_DISC(0.95) WITHIN GROUP (ORDER BY latency_ns) FILTER (WHERE attempt > 0)"
                + " FROM invocation WHERE started_at_ns >= ? AND started_at_ns <= ?"
                + " GROUP BY bucket, grp";
        record Keyed(int bucket, StatsRow row) {
        }
        List<Keyed> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int bucket = rs.getInt(1);
                    BigDecimal cost = rs.getBigDecimal(10);
                    rows.add(new Keyed(bucket, new StatsRow(buckets.label(bucket), rs.getString(2), rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                            cost == null ? BigDecimal.ZERO : InvocationTable.decimal(cost),
                            Duration.ofNanos(rs.getLong(11)), Duration.ofNanos(rs.getLong(12)))));
                }
            }
        }
        // Sorted here rather than in SQL so that group order is Java's String order, as in memory.
        rows.sort(Comparator.comparingInt(Keyed::bucket).thenComparing(k -> k.row().group()));
        return new StatsReport(q, rows.stream().map(Keyed::row).toList());
    }
}
