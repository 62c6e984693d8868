package io.llmservice;

import java.util.Locale;

/** The bucket size of a stats report; periods are calendar periods in the report's time zone. */
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
}
