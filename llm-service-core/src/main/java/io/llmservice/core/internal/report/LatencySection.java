package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

import java.util.ArrayList;
import java.util.List;

/** Attempt latency p50 and p95 per tool, side by side. */
public final class LatencySection implements ReportSection {
    @Override
    public String id() {
        return "latency";
    }

    @Override
    public String title() {
        return "Latency per tool";
    }

    @Override
    public void write(SpendReport report, Html out) {
        List<SpendReport.ToolLatency> tools = report.latencyByTool();
        if (tools.isEmpty()) {
            out.raw("<p class=\"note\">No attempt ran in this window (every request was refused).</p>");
            return;
        }
        List<String> names = tools.stream().map(t -> Tables.name(t.tool())).toList();
        double[] p50 = tools.stream().mapToDouble(t -> t.p50().toNanos() / 1e9).toArray();
        double[] p95 = tools.stream().mapToDouble(t -> t.p95().toNanos() / 1e9).toArray();
        BarChart chart = new BarChart("Latency p50 and p95 per tool", names, names, " s", false)
                .series("p50", Palette.group(0), p50, v -> String.format(java.util.Locale.ROOT, "%.2f s", v))
                .series("p95", Palette.group(1), p95, v -> String.format(java.util.Locale.ROOT, "%.2f s", v));
        out.raw(chart.svg());
        Tables.legend(out, chart.legend());
        List<List<String>> rows = new ArrayList<>();
        for (SpendReport.ToolLatency t : tools) {
            rows.add(List.of(Tables.name(t.tool()), Figures.count(t.attempts()), Figures.seconds(t.p50()),
                    Figures.seconds(t.p95())));
        }
        Tables.write(out, "Attempt latency per tool (nearest rank, within 2.2 %)", List.of("Tool", "Attempts", "p50",
                "p95"), rows, new boolean[] {false, true, true, true});
    }
}
