package io.llmservice;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a {@link StatsQuery}: rows sorted by period, then group.
 *
 * <pre>{@code
 * StatsReport report = llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT).build());
 * for (StatsRow row : report.rows()) {
 *     System.out.println(row.period() + " " + row.group() + ": $" + row.costUsd());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param query the query answered
 * @param rows  one per period and group that had activity
 */
public record StatsReport(StatsQuery query, List<StatsRow> rows) {
    public StatsReport {
        Objects.requireNonNull(query, "query");
        rows = List.copyOf(rows);
    }
}
