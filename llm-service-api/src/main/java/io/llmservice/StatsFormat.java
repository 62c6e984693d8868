package io.llmservice;

/**
 * Export formats of a stats report.
 *
 * <pre>{@code
 * try (Writer out = Files.newBufferedWriter(Path.of("december.csv"))) {
 *     llm.writeStats(report, StatsFormat.CSV, out);
 * }
 * }</pre>
 */
public enum StatsFormat {
    /** RFC 4180 CSV with a header row. */
    CSV,
    /** A JSON object: the query and an array of rows. */
    JSON
}
