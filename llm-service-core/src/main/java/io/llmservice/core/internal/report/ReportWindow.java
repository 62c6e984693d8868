package io.llmservice.core.internal.report;

import io.llmservice.ReportQuery;
import io.llmservice.StatsPeriod;
import io.llmservice.spi.RollupKey;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The window a {@link ReportQuery} covers, resolved against a clock and a default zone: whole
 * quarter-hours (the start rounded down, the end up, as stats round), and the local days it touches.
 *
 * <pre>{@code
 * ReportWindow w = ReportWindow.of(query, clock.instant(), config.policies().timezone());
 * store.scanRollups(w.from(), w.to(), collector);
 * }</pre>
 *
 * @param from the first quarter-hour start read
 * @param to   the quarter-hour start reading stops before
 * @param zone the zone days are cut in
 */
public record ReportWindow(Instant from, Instant to, ZoneId zone) {
    /** The most days a report draws: ten years, so a typo in a date does not make a million-day chart. */
    public static final int MAX_DAYS = 3_660;

    public ReportWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
    }

    /**
     * Resolves {@code query}: a period holding {@code from} (or now), or {@code from} to {@code to} (or now).
     *
     * @throws IllegalArgumentException when the window is empty or longer than {@link #MAX_DAYS} days
     */
    public static ReportWindow of(ReportQuery query, Instant now, ZoneId defaultZone) {
        ZoneId zone = query.zone().orElse(defaultZone);
        Instant start;
        Instant end;
        if (query.period().isPresent()) {
            LocalDate day = LocalDate.ofInstant(query.from().orElse(now), zone);
            StatsPeriod p = query.period().get();
            LocalDate first = switch (p) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
            LocalDate next = switch (p) {
                case DAY -> first.plusDays(1);
                case WEEK -> first.plusWeeks(1);
                case MONTH -> first.plusMonths(1);
            };
            start = first.atStartOfDay(zone).toInstant();
            end = next.atStartOfDay(zone).toInstant();
        } else {
            start = query.from().orElseThrow();
            end = query.to().orElse(now);
        }
        Instant from = RollupKey.bucketStart(start);
        Instant to = RollupKey.bucketStart(end).equals(end) ? end : RollupKey.bucketStart(end).plus(RollupKey.BUCKET);
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("the report window from " + start + " to " + end + " is empty;"
                    + " give a 'to' after 'from' (a 'from' in the future needs a 'to')");
        }
        ReportWindow w = new ReportWindow(from, to, zone);
        long days = LocalDate.ofInstant(from, zone).datesUntil(LocalDate.ofInstant(to.minusNanos(1), zone).plusDays(1))
                .limit(MAX_DAYS + 1L).count();
        if (days > MAX_DAYS) {
            throw new IllegalArgumentException("the report window from " + start + " to " + end + " spans more than "
                    + MAX_DAYS + " days; report at most ten years at a time");
        }
        return w;
    }

    /** Every local day in {@code zone} the window touches, in order. */
    public List<LocalDate> days(ZoneId in) {
        List<LocalDate> out = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to.minusNanos(1), in);
        for (LocalDate d = LocalDate.ofInstant(from, in); !d.isAfter(last); d = d.plusDays(1)) {
            out.add(d);
        }
        return out;
    }
}
