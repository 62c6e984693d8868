package io.llmservice.core.internal.budget;

import io.llmservice.config.BudgetPeriod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetWindowTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static String key(BudgetPeriod p, String instant, ZoneId zone) {
        return BudgetWindow.containing(p, Instant.parse(instant), zone).key();
    }

    @Test
    void containing_givesKeyAndLabel() {
        BudgetWindow w = BudgetWindow.containing(BudgetPeriod.DAILY, Instant.parse("2026-12-01T12:00:00Z"),
                ZoneOffset.UTC);
        assertThat(w).isEqualTo(new BudgetWindow("daily:2026-12-01", "daily 2026-12-01"));
        assertThat(BudgetWindow.containing(BudgetPeriod.WEEKLY, Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(new BudgetWindow("weekly:2026-W49", "weekly 2026-W49"));
        assertThat(BudgetWindow.containing(BudgetPeriod.MONTHLY, Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC))
                .isEqualTo(new BudgetWindow("monthly:2026-12", "monthly 2026-12"));
    }

    @Test
    void firstDay_isTheDayTheMondayOrTheFirstOfTheMonth() {
        // 2027-01-01 is a Friday in ISO week 2026-W53, which began on Monday 2026-12-28.
        LocalDate newYear = LocalDate.of(2027, 1, 1);
        assertThat(BudgetWindow.firstDay(BudgetPeriod.DAILY, newYear)).isEqualTo(newYear);
        assertThat(BudgetWindow.firstDay(BudgetPeriod.WEEKLY, newYear)).isEqualTo(LocalDate.of(2026, 12, 28));
        assertThat(BudgetWindow.firstDay(BudgetPeriod.WEEKLY, LocalDate.of(2026, 12, 28)))
                .isEqualTo(LocalDate.of(2026, 12, 28));
        assertThat(BudgetWindow.firstDay(BudgetPeriod.MONTHLY, newYear)).isEqualTo(newYear);
        assertThat(BudgetWindow.firstDay(BudgetPeriod.MONTHLY, LocalDate.of(2026, 11, 30)))
                .isEqualTo(LocalDate.of(2026, 11, 1));
    }

    @Test
    void midnightInBerlin_startsTheNewDayAndMonthAnHourBeforeUtcDoes() {
        // 2026-12-01 00:00 CET is 2026-11-30 23:00 UTC.
        assertThat(key(BudgetPeriod.DAILY, "2026-11-30T22:59:59.999Z", BERLIN)).isEqualTo("daily:2026-11-30");
        assertThat(key(BudgetPeriod.DAILY, "2026-11-30T23:00:00Z", BERLIN)).isEqualTo("daily:2026-12-01");
        assertThat(key(BudgetPeriod.DAILY, "2026-11-30T23:00:00Z", ZoneOffset.UTC)).isEqualTo("daily:2026-11-30");
        assertThat(key(BudgetPeriod.MONTHLY, "2026-11-30T22:59:59Z", BERLIN)).isEqualTo("monthly:2026-11");
        assertThat(key(BudgetPeriod.MONTHLY, "2026-11-30T23:00:00Z", BERLIN)).isEqualTo("monthly:2026-12");
    }

    @Test
    void midnightInNewYork_isFiveHoursAfterUtcMidnightInWinter() {
        assertThat(key(BudgetPeriod.DAILY, "2026-12-02T04:59:59Z", NEW_YORK)).isEqualTo("daily:2026-12-01");
        assertThat(key(BudgetPeriod.DAILY, "2026-12-02T05:00:00Z", NEW_YORK)).isEqualTo("daily:2026-12-02");
    }

    @Test
    void yearEnd_monthTurnsButIsoWeekBelongsToTheOldWeekBasedYear() {
        // 2027-01-01 00:00 CET; Friday 2027-01-01 is in ISO week 2026-W53, Monday 2027-01-04 starts 2027-W01.
        assertThat(key(BudgetPeriod.MONTHLY, "2026-12-31T22:59:59Z", BERLIN)).isEqualTo("monthly:2026-12");
        assertThat(key(BudgetPeriod.MONTHLY, "2026-12-31T23:00:00Z", BERLIN)).isEqualTo("monthly:2027-01");
        assertThat(key(BudgetPeriod.WEEKLY, "2026-12-31T23:00:00Z", BERLIN)).isEqualTo("weekly:2026-W53");
        assertThat(key(BudgetPeriod.WEEKLY, "2027-01-03T22:59:59Z", BERLIN)).isEqualTo("weekly:2026-W53");
        assertThat(key(BudgetPeriod.WEEKLY, "2027-01-03T23:00:00Z", BERLIN)).isEqualTo("weekly:2027-W01");
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            // spring forward: 2026-03-29 in Berlin is 23 hours long, 2026-03-28T23:00Z .. 2026-03-29T22:00Z
            "2026-03-28T22:59:59Z, Europe/Berlin, daily:2026-03-28",
            "2026-03-28T23:00:00Z, Europe/Berlin, daily:2026-03-29",
            "2026-03-29T21:59:59Z, Europe/Berlin, daily:2026-03-29",
            "2026-03-29T22:00:00Z, Europe/Berlin, daily:2026-03-30",
            // fall back: 2026-10-25 in Berlin is 25 hours long, 2026-10-24T22:00Z .. 2026-10-25T23:00Z
            "2026-10-24T22:00:00Z, Europe/Berlin, daily:2026-10-25",
            "2026-10-25T22:59:59Z, Europe/Berlin, daily:2026-10-25",
            "2026-10-25T23:00:00Z, Europe/Berlin, daily:2026-10-26",
            // New York: 2026-03-08 starts at 05:00Z (EST), 2026-03-09 at 04:00Z (EDT)
            "2026-03-09T03:59:59Z, America/New_York, daily:2026-03-08",
            "2026-03-09T04:00:00Z, America/New_York, daily:2026-03-09",
    })
    void dstChange_dayFollowsTheLocalCalendar(String instant, String zone, String expected) {
        assertThat(key(BudgetPeriod.DAILY, instant, ZoneId.of(zone))).isEqualTo(expected);
    }

    @Test
    void leapDay_isItsOwnDayAndPartOfFebruary() {
        assertThat(key(BudgetPeriod.DAILY, "2028-02-28T23:00:00Z", BERLIN)).isEqualTo("daily:2028-02-29");
        assertThat(key(BudgetPeriod.DAILY, "2028-02-29T22:59:59Z", BERLIN)).isEqualTo("daily:2028-02-29");
        assertThat(key(BudgetPeriod.MONTHLY, "2028-02-29T22:59:59Z", BERLIN)).isEqualTo("monthly:2028-02");
        assertThat(key(BudgetPeriod.DAILY, "2028-02-29T23:00:00Z", BERLIN)).isEqualTo("daily:2028-03-01");
        assertThat(key(BudgetPeriod.MONTHLY, "2028-02-29T23:00:00Z", BERLIN)).isEqualTo("monthly:2028-03");
        assertThat(key(BudgetPeriod.WEEKLY, "2028-02-29T12:00:00Z", ZoneOffset.UTC)).isEqualTo("weekly:2028-W09");
    }

    @Test
    void week_runsMondayToSunday() {
        assertThat(key(BudgetPeriod.WEEKLY, "2026-11-30T00:00:00Z", ZoneOffset.UTC)).isEqualTo("weekly:2026-W49");
        assertThat(key(BudgetPeriod.WEEKLY, "2026-12-06T23:59:59Z", ZoneOffset.UTC)).isEqualTo("weekly:2026-W49");
        assertThat(key(BudgetPeriod.WEEKLY, "2026-12-07T00:00:00Z", ZoneOffset.UTC)).isEqualTo("weekly:2026-W50");
    }
}
