package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

import java.util.ArrayList;
import java.util.List;

/** Tokens by model: input, output, cache read and cache write stacked, with each model's cost in the table. */
public final class TokensSection implements ReportSection {
    @Override
    public String id() {
        return "tokens";
    }

    @Override
    public String title() {
        return "Tokens by model";
    }

    @Override
    public void write(SpendReport report, Html out) {
        List<SpendReport.ModelTokens> models = report.tokensByModel();
        if (models.isEmpty()) {
            out.raw("<p class=\"note\">No tokens or cost were reported by the tools in this window.</p>");
            return;
        }
        List<String> names = models.stream().map(m -> Tables.name(m.model())).toList();
        int n = models.size();
        double[] in = new double[n];
        double[] outTokens = new double[n];
        double[] read = new double[n];
        double[] write = new double[n];
        for (int i = 0; i < n; i++) {
            in[i] = models.get(i).inputTokens();
            outTokens[i] = models.get(i).outputTokens();
            read[i] = models.get(i).cacheReadTokens();
            write[i] = models.get(i).cacheWriteTokens();
        }
        BarChart chart = new BarChart("Tokens by model", names, names, "", true)
                .series("input", Palette.group(0), in, v -> Figures.count((long) v))
                .series("output", Palette.group(1), outTokens, v -> Figures.count((long) v))
                .series("cache read", Palette.group(2), read, v -> Figures.count((long) v))
                .series("cache write", Palette.group(3), write, v -> Figures.count((long) v));
        out.raw(chart.svg());
        Tables.legend(out, chart.legend());
        List<List<String>> rows = new ArrayList<>();
        for (SpendReport.ModelTokens m : models) {
            rows.add(List.of(Tables.name(m.model()), Figures.count(m.inputTokens()), Figures.count(m.outputTokens()),
                    Figures.count(m.cacheReadTokens()), Figures.count(m.cacheWriteTokens()), Figures.usd(m.costUsd())));
        }
        Tables.write(out, "Tokens and cost by model", List.of("Model", "Input", "Output", "Cache read", "Cache write",
                "Cost"), rows, new boolean[] {false, true, true, true, true, true});
    }
}
