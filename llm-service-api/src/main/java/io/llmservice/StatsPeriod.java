package io.llmservice;

import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * The bucket size of a stats report; periods are calendar periods in the report's time zone.
 *
 * <pre>{@code
 * StatsReport weekly = llm.stats(StatsQuery.builder().period(StatsPeriod.WEEK).groupBy(StatsDimension.MODEL).build());
 * String label = StatsPeriod.WEEK.label(LocalDate.of(2026, 12, 1));   // "2026-W49"
 * }</pre>
 */
public enum StatsPeriod {
    /** Calendar days, labelled {@code 2026-12-01}. */
    DAY,
    /** ISO weeks (Monday first), labelled {@code 2026-W49}. */
    WEEK,
    /** Calendar months, labelled {@code 2026-12}. */
    MONTH;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The label of the period holding {@code day}: {@code 2026-12-01}, {@code 2026-W49} (ISO
     * week-based year, so every day of a week has its label) or {@code 2026-12}. Every telemetry store
     * labels {@link StatsRow#period()} this way, and budget periods use the same labels.
     */
    public String label(LocalDate day) {
        return switch (this) {
            case DAY -> day.toString();
            case WEEK -> String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
                    day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> String.format(Locale.ROOT, "%d-%02d", day.getYear(), day.getMonthValue());
        };
    }
}
