package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

/**
 * One section of the HTML report: a heading, a chart and the table with its numbers.
 * {@link HtmlReportWriter} writes its sections in order; another section (the what-if replay's) is
 * added with {@link HtmlReportWriter#with}.
 *
 * <pre>{@code
 * ReportSection mine = new ReportSection() {
 *     public String id() { return "whatif"; }
 *     public String title() { return "What if"; }
 *     public void write(SpendReport report, Html out) { out.raw("<p>").text("...").raw("</p>"); }
 * };
 * new HtmlReportWriter(HtmlReportWriter.standardSections()).with(mine).write(report, writer);
 * }</pre>
 *
 * Implementations are stateless and thread-safe.
 */
public interface ReportSection {
    /** The section's anchor ({@code <section id=...>}), lower case, unique in a report. */
    String id();

    /** Its heading. */
    String title();

    /** Writes the section's body (charts, tables, notes); the writer writes the heading around it. */
    void write(SpendReport report, Html out);
}
