package io.llmservice;

/** Export formats of a stats report. */
public enum StatsFormat {
    /** RFC 4180 CSV with a header row. */
    CSV,
    /** A JSON object: the query and an array of rows. */
    JSON
}
