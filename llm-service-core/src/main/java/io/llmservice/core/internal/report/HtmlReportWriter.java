package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a {@link SpendReport} as one self-contained HTML file: inline CSS, server-side SVG charts, no
 * script, no link to anything outside the file. A header (window, zone, totals, when it was made), then
 * its {@link ReportSection}s in order, each a chart and a table with the same numbers. A window without
 * calls says so ("No calls were recorded between ...") instead of drawing empty charts.
 *
 * <pre>{@code
 * HtmlReportWriter html = new HtmlReportWriter(HtmlReportWriter.standardSections());
 * html.write(report, writer);
 * html.with(whatIfSection).write(report, writer);   // one more section at the end
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class HtmlReportWriter {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);
    private static final String CSS = """
            :root{color-scheme:light}
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
            header,main{max-width:1000px;margin:0 auto;padding:0 20px}
            header{padding-top:24px}
            h1{font-size:24px;margin:0 0 4px}
            h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            h3{font-size:16px;margin:20px 0 2px}
            .sub,.note,.meta{color:#555}
            .note{font-size:13px}
            .totals{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0;padding:0;list-style:none}
            .totals li{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 14px}
            .totals b{display:block;font-size:18px}
            nav a{margin-right:14px}
            svg.chart{width:100%;height:auto;background:#fff;border:1px solid #e4e4e4;border-radius:4px}
            svg .grid{stroke:#eee;stroke-width:1}
            svg .axisline{stroke:#999;stroke-width:1}
            svg .axis{font-size:11px;fill:#555}
            svg .mark:hover{opacity:.8}
            .legend{list-style:none;padding:0;margin:6px 0 10px;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
            .swatch{display:inline-block;width:11px;height:11px;margin-right:5px;border-radius:2px;vertical-align:-1px}
            table{border-collapse:collapse;margin:8px 0 16px;background:#fff;font-size:13px}
            caption{text-align:left;color:#555;padding:4px 0;font-size:13px}
            th,td{border:1px solid #e0e0e0;padding:3px 8px;text-align:left}
            th{background:#f3f3f3}
            .num{text-align:right;font-variant-numeric:tabular-nums}
            details{margin:6px 0 16px}
            summary{cursor:pointer;color:#36c;font-size:13px}
            .empty{background:#fff;border:1px dashed #bbb;border-radius:6px;padding:28px;text-align:center;font-size:16px;margin:24px 0}
            footer{max-width:1000px;margin:32px auto;padding:0 20px;color:#777;font-size:12px}
            """;

    private final List<ReportSection> sections;

    public HtmlReportWriter(List<ReportSection> sections) {
        this.sections = List.copyOf(sections);
        Set<String> ids = new HashSet<>();
        for (ReportSection s : this.sections) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("two report sections have the id '" + s.id() + "'");
            }
        }
    }

    /** Spend per day, budget burn-down, tokens by model, latency per tool, outcomes per agent. */
    public static List<ReportSection> standardSections() {
        return List.of(new SpendSection(), new BudgetSection(), new TokensSection(), new LatencySection(),
                new OutcomesSection());
    }

    /** A writer with {@code section} after this one's sections. */
    public HtmlReportWriter with(ReportSection section) {
        List<ReportSection> more = new ArrayList<>(sections);
        more.add(section);
        return new HtmlReportWriter(more);
    }

    /**
     * Writes the page.
     *
     * @throws UncheckedIOException when writing fails
     */
    public void write(SpendReport report, Writer out) {
        try {
            out.write(html(report));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the HTML report: " + e.getMessage(), e);
        }
    }

    /** The page as a string. */
    public String html(SpendReport report) {
        ZoneId zone = report.zone();
        String first = report.days().isEmpty() ? "" : report.days().get(0).toString();
        String last = report.days().isEmpty() ? "" : report.days().get(report.days().size() - 1).toString();
        String span = first.equals(last) ? first : first + " to " + last;
        Html h = new Html();
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';"
                + " img-src data:\">"
                + "<title>").text("LLM spend " + span).raw("</title><style>").raw(CSS).raw("</style></head><body>");
        h.raw("<header><h1>LLM spend report</h1><p class=\"meta\">").text(span + " (" + zone.getId() + "), "
                + report.days().size() + (report.days().size() == 1 ? " day" : " days") + " · by "
                + report.by().yamlName()).raw("<br>").text("window " + report.from() + " to " + report.to()
                + " (quarter-hours, end exclusive) · generated "
                + WHEN.format(LocalDateTime.ofInstant(report.generatedAt(), zone)) + " " + zone.getId()).raw("</p>");
        SpendReport.Totals t = report.totals();
        h.raw("<ul class=\"totals\">");
        total(h, "Spend", Figures.usd(t.costUsd()));
        total(h, "Requests", Figures.count(t.requests()));
        total(h, "Attempts", Figures.count(t.attempts()));
        total(h, "Input tokens", Figures.count(t.inputTokens()));
        total(h, "Output tokens", Figures.count(t.outputTokens()));
        total(h, "Cache read / write", Figures.count(t.cacheReadTokens()) + " / " + Figures.count(t.cacheWriteTokens()));
        h.raw("</ul>");
        if (!report.isEmpty()) {
            h.raw("<nav>");
            for (ReportSection s : sections) {
                h.raw("<a href=\"#").text(s.id()).raw("\">").text(s.title()).raw("</a>");
            }
            h.raw("</nav>");
        }
        h.raw("</header><main>");
        if (report.isEmpty()) {
            h.raw("<p class=\"empty\" id=\"empty\">").text("No calls were recorded between " + first + " and " + last
                    + " (" + zone.getId() + ").").raw("<br><span class=\"note\">")
                    .text("Calls are recorded by the telemetry store of policies.telemetry; with the 'memory' store"
                            + " only the calls of the process making the report are seen.").raw("</span></p>");
        } else {
            for (ReportSection s : sections) {
                h.raw("<section id=\"").text(s.id()).raw("\"><h2>").text(s.title()).raw("</h2>");
                s.write(report, h);
                h.raw("</section>");
            }
        }
        h.raw("</main><footer>").text("llm-service report · figures from the telemetry store's quarter-hour rollups;"
                + " they equal llm-service stats for the same window and zone.").raw("</footer></body></html>\n");
        return h.toString();
    }

    private static void total(Html h, String label, String value) {
        h.raw("<li>").text(label).raw("<b>").text(value).raw("</b></li>");
    }
}
