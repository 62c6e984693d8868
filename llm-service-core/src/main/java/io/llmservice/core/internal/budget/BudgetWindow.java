package io.llmservice.core.internal.budget;

import io.llmservice.StatsPeriod;
import io.llmservice.config.BudgetPeriod;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * The period of a budget that an instant falls in, counted in the configured time zone: the local
 * calendar day, ISO week (Monday to Sunday, week-based year) or calendar month. A day is whatever
 * the zone's calendar says: 23 or 25 hours across a daylight-saving change.
 *
 * <pre>{@code
 * BudgetWindow w = BudgetWindow.containing(BudgetPeriod.WEEKLY, clock.instant(), ZoneId.of("Europe/Berlin"));
 * w.key();   // "weekly:2026-W49" - what the ledger stores
 * w.label(); // "weekly 2026-W49" - what messages show
 * }</pre>
 *
 * @param key   the ledger's period key, e.g. {@code daily:2026-12-01}, {@code weekly:2026-W49},
 *              {@code monthly:2026-12}
 * @param label the same for people, e.g. {@code daily 2026-12-01}
 */
public record BudgetWindow(String key, String label) {
    public BudgetWindow {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(label, "label");
    }

    /** The window of {@code period} that holds {@code instant} in {@code zone}. */
    public static BudgetWindow containing(BudgetPeriod period, Instant instant, ZoneId zone) {
        LocalDate day = LocalDate.ofInstant(instant, zone);
        String name = period.yamlName();
        String value = switch (period) {
            case DAILY -> StatsPeriod.DAY.label(day);
            case WEEKLY -> StatsPeriod.WEEK.label(day);
            case MONTHLY -> StatsPeriod.MONTH.label(day);
        };
        return new BudgetWindow(name + ':' + value, name + ' ' + value);
    }

    /**
     * The first local day of the period of {@code period} that holds {@code day}: the day itself, the
     * Monday of its ISO week, or the first of its month.
     */
    public static LocalDate firstDay(BudgetPeriod period, LocalDate day) {
        return switch (period) {
            case DAILY -> day;
            case WEEKLY -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTHLY -> day.withDayOfMonth(1);
        };
    }
}
