package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

import java.util.ArrayList;
import java.util.List;

/**
 * How each agent's requests ended: success, fallback, refused, failed, timeout (the rule is
 * {@link SpendReport}'s). The chart shows the {@value #TOP_AGENTS} agents with most requests, the
 * rest added up as "other"; the table lists every agent.
 */
public final class OutcomesSection implements ReportSection {
    /** How many agents get their own bar. */
    public static final int TOP_AGENTS = 20;
    private static final String[] NAMES = {"success", "fallback", "refused", "failed", "timeout"};
    private static final String[] COLORS = {"#59a14f", "#4e79a7", "#f28e2b", "#e15759", "#b07aa1"};

    @Override
    public String id() {
        return "outcomes";
    }

    @Override
    public String title() {
        return "Outcomes per agent";
    }

    @Override
    public void write(SpendReport report, Html out) {
        List<SpendReport.AgentOutcomes> ranked = new ArrayList<>(report.outcomesByAgent());
        ranked.sort(java.util.Comparator.comparingLong(SpendReport.AgentOutcomes::requests).reversed()
                .thenComparing(SpendReport.AgentOutcomes::agent));
        List<String> names = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        long[] other = new long[5];
        for (int i = 0; i < ranked.size(); i++) {
            long[] c = of(ranked.get(i));
            if (i < TOP_AGENTS) {
                names.add(Tables.name(ranked.get(i).agent()));
                counts.add(c);
            } else {
                for (int j = 0; j < 5; j++) {
                    other[j] += c[j];
                }
            }
        }
        if (ranked.size() > TOP_AGENTS) {
            names.add("other (" + (ranked.size() - TOP_AGENTS) + " agents)");
            counts.add(other);
        }
        BarChart chart = new BarChart("Outcomes per agent", names, names, "", true);
        for (int j = 0; j < 5; j++) {
            double[] v = new double[names.size()];
            for (int i = 0; i < names.size(); i++) {
                v[i] = counts.get(i)[j];
            }
            chart.series(NAMES[j], COLORS[j], v, x -> Figures.count((long) x) + " requests");
        }
        out.raw(chart.svg());
        Tables.legend(out, chart.legend());
        out.raw("<p class=\"note\">A request counts once, by its first attempt: <b>success</b> it succeeded;"
                + " <b>fallback</b> it succeeded after a failed first attempt; otherwise by how the first attempt"
                + " ended: <b>refused</b> (budget, rate limit, no route), <b>timeout</b>, or <b>failed</b>.</p>");
        List<List<String>> rows = new ArrayList<>();
        for (SpendReport.AgentOutcomes a : report.outcomesByAgent()) {
            rows.add(List.of(Tables.name(a.agent()), Figures.count(a.requests()), Figures.count(a.success()),
                    Figures.count(a.fallback()), Figures.count(a.refused()), Figures.count(a.failed()),
                    Figures.count(a.timeout())));
        }
        Tables.write(out, "Requests per agent by outcome", List.of("Agent", "Requests", "Success", "Fallback",
                "Refused", "Failed", "Timeout"), rows, new boolean[] {false, true, true, true, true, true, true});
    }

    private static long[] of(SpendReport.AgentOutcomes a) {
        return new long[] {a.success(), a.fallback(), a.refused(), a.failed(), a.timeout()};
    }
}
