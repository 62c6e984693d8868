package io.llmservice.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * {@code --since} / {@code --until} values: an ISO date ({@code 2026-11-01}, the start of that day
 * in {@code policies.timezone}), a local date-time ({@code 2026-11-01T09:30}, in that zone), or an
 * instant with an offset ({@code 2026-11-01T08:30:00Z}, {@code 2026-11-01T09:30+01:00}).
 */
final class TimeBound {
    private TimeBound() {
    }

    static Instant parse(String option, String text, ZoneId zone) {
        String s = text.strip();
        try {
            return LocalDate.parse(s).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notADate) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException notAnInstant) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(option + " '" + text + "' is not a date or an instant",
                    "write a date like 2026-11-01 (start of day in " + zone + ") or an instant like 2026-11-01T08:30:00Z");
        }
    }
}
