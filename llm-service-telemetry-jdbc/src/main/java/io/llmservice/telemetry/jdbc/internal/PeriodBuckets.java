package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.StatsPeriod;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * The calendar periods (days, ISO weeks, months) of a zone that cover a time window, as UTC
 * epoch-nanosecond boundaries. Computed with {@code java.time}, so DST changes (23- and 25-hour
 * days, midnights that do not exist) are right; rows are then placed by comparing numbers.
 *
 * <p>Bucket {@code i} is {@code [start(i), start(i + 1))}. Immutable.
 */
public final class PeriodBuckets {
    private final long[] bounds;
    private final List<String> labels;

    private PeriodBuckets(long[] bounds, List<String> labels) {
        this.bounds = bounds;
        this.labels = labels;
    }

    /** The buckets covering {@code [from, to]} (both as epoch nanoseconds, inclusive). */
    public static PeriodBuckets covering(StatsPeriod period, ZoneId zone, long fromNs, long toNs) {
        LocalDate d = first(period, InvocationTable.instant(fromNs).atZone(zone).toLocalDate());
        List<Long> starts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        long start = startOf(d, zone);
        while (start <= toNs) {
            starts.add(start);
            labels.add(label(period, d));
            d = next(period, d);
            start = startOf(d, zone);
        }
        starts.add(start);
        long[] b = new long[starts.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = starts.get(i);
        }
        return new PeriodBuckets(b, List.copyOf(labels));
    }

    int size() {
        return labels.size();
    }

    String label(int bucket) {
        return labels.get(bucket);
    }

    /** Whether {@code ns} lies in bucket {@code bucket}. */
    boolean contains(int bucket, long ns) {
        return ns >= bounds[bucket] && ns < bounds[bucket + 1];
    }

    /** The bucket holding {@code ns}, which must lie in {@code [start(0), start(size()))}. */
    int indexOf(long ns) {
        int lo = 0;
        int hi = size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ns < bounds[mid]) {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    private static LocalDate first(StatsPeriod period, LocalDate d) {
        return switch (period) {
            case DAY -> d;
            case WEEK -> d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> d.withDayOfMonth(1);
        };
    }

    private static LocalDate next(StatsPeriod period, LocalDate d) {
        return switch (period) {
            case DAY -> d.plusDays(1);
            case WEEK -> d.plusWeeks(1);
            case MONTH -> d.plusMonths(1);
        };
    }

    /** Labels as {@code StatsRow} defines them; every day of an ISO week has the week's label. */
    public static String label(StatsPeriod period, LocalDate d) {
        return period.label(d);
    }

    private static long startOf(LocalDate d, ZoneId zone) {
        // atStartOfDay picks the first valid time when a DST gap swallows midnight.
        Instant t = d.atStartOfDay(zone).toInstant();
        try {
            return InvocationTable.nanos(t);
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
