package io.llmservice.core.internal.telemetry;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import io.llmservice.spi.InvocationRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes a {@link StatsReport} from records in memory. The H2 store computes the same in SQL;
 * both follow the definitions of {@link StatsRow}. By model, a record's shares of other models
 * (a sub-agent's, {@link InvocationRecord#modelUsage()}) are booked under those models: the
 * request counts there too, and their tokens and cost move from the record's model, so the totals
 * are unchanged. Not thread-safe; one per query.
 */
public final class StatsAggregator {
    private final StatsQuery query;
    private final Map<String, Map<String, Bucket>> buckets = new TreeMap<>();

    private static final class Bucket {
        final Set<String> requests = new HashSet<>();
        final Set<String> succeeded = new HashSet<>();
        long attempts;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        BigDecimal cost = BigDecimal.ZERO;
        long[] latencies = new long[8];
        int latencyCount;
    }

    public StatsAggregator(StatsQuery query) {
        this.query = query;
    }

    /** The period label of an instant, e.g. {@code 2026-12-01}, {@code 2026-W49}, {@code 2026-12}. */
    public static String periodLabel(StatsPeriod period, ZonedDateTime t) {
        return period.label(t.toLocalDate());
    }

    public void add(InvocationRecord r) {
        if (query.since().isPresent() && r.startedAt().isBefore(query.since().get())) {
            return;
        }
        if (query.until().isPresent() && !r.startedAt().isBefore(query.until().get())) {
            return;
        }
        String period = periodLabel(query.period(), r.startedAt().atZone(query.zone()));
        String group = group(query.groupBy(), r);
        Map<String, Bucket> groups = buckets.computeIfAbsent(period, k -> new TreeMap<>());
        Bucket b = groups.computeIfAbsent(group, k -> new Bucket());
        b.requests.add(r.requestId());
        if (r.outcome() == Outcome.SUCCESS) {
            b.succeeded.add(r.requestId());
        }
        if (r.attempt() == 0) {
            return;
        }
        b.attempts++;
        b.input += r.usage().inputTokens().orElse(0);
        b.output += r.usage().outputTokens().orElse(0);
        b.cacheRead += r.usage().cacheReadTokens().orElse(0);
        b.cacheWrite += r.usage().cacheWriteTokens().orElse(0);
        if (r.costUsd().isPresent()) {
            b.cost = b.cost.add(r.costUsd().get());
        }
        if (b.latencyCount == b.latencies.length) {
            b.latencies = Arrays.copyOf(b.latencies, b.latencies.length * 2);
        }
        b.latencies[b.latencyCount++] = r.latency().toNanos();
        if (query.groupBy() == StatsDimension.MODEL) {
            // A sub-agent's model: its tokens and cost are its own, and the request counts there too.
            for (ModelUsage m : r.modelUsage()) {
                if (m.model().equals(r.model())) {
                    continue;
                }
                Bucket other = groups.computeIfAbsent(m.model(), k -> new Bucket());
                other.requests.add(r.requestId());
                if (r.outcome() == Outcome.SUCCESS) {
                    other.succeeded.add(r.requestId());
                }
                long in = m.usage().inputTokens().orElse(0);
                long out = m.usage().outputTokens().orElse(0);
                long read = m.usage().cacheReadTokens().orElse(0);
                long write = m.usage().cacheWriteTokens().orElse(0);
                BigDecimal cost = m.costUsd().orElse(BigDecimal.ZERO);
                b.input -= in;
                b.output -= out;
                b.cacheRead -= read;
                b.cacheWrite -= write;
                b.cost = b.cost.subtract(cost);
                other.input += in;
                other.output += out;
                other.cacheRead += read;
                other.cacheWrite += write;
                other.cost = other.cost.add(cost);
            }
        }
    }

    public StatsReport report() {
        List<StatsRow> rows = new ArrayList<>();
        buckets.forEach((period, groups) -> groups.forEach((group, b) -> {
            long[] sorted = Arrays.copyOf(b.latencies, b.latencyCount);
            Arrays.sort(sorted);
            rows.add(StatsRow.builder().period(period).group(group).requests(b.requests.size())
                    .succeeded(b.succeeded.size()).attempts(b.attempts)
                    .tokens(b.input, b.output, b.cacheRead, b.cacheWrite).costUsd(b.cost)
                    .latency(percentile(sorted, 50), percentile(sorted, 95)).build());
        }));
        return new StatsReport(query, rows);
    }

    /** Nearest-rank percentile; zero for no values. */
    static Duration percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
    }

    private static String group(StatsDimension by, InvocationRecord r) {
        return switch (by) {
            case AGENT -> r.agent();
            case TEAM -> r.team().orElse("");
            case MODEL -> r.model();
            case TOOL -> r.tool();
        };
    }
}
