package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;
import io.llmservice.config.ScopeKind;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each budget's burn-down: the spend in its scope since its period began (a period that began before
 * the report carried in, {@link SpendReport.BurnDown#openingUsd}), day by day, against its limit and
 * {@code warn_at} line, with the days calls in its scope were refused marked: by any budget, since the
 * rollups do not keep which one refused ({@link SpendReport.BurnDownDay#refusals}).
 */
public final class BudgetSection implements ReportSection {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    @Override
    public String id() {
        return "budgets";
    }

    @Override
    public String title() {
        return "Budget burn-down";
    }

    @Override
    public void write(SpendReport report, Html out) {
        if (report.budgets().isEmpty()) {
            out.raw("<p class=\"note\">No budgets are configured (policies.budgets), so there is nothing to burn"
                    + " down.</p>");
            return;
        }
        out.raw("<p class=\"note\">Computed from the invocation log: the spend of the calls in each budget's scope,"
                + " added up from the start of its period (what a period that began before this report had spent by"
                + " then is carried in) and starting again with each period. The budget ledger is the authority for"
                + " the live period: <code>llm-service route --explain</code> shows each budget's headroom,"
                + " <code>LlmService.budgets()</code> its standing. A call whose cost is unknown counts nothing here;"
                + " the ledger charged it its reservation. The log does not keep which budget refused a call:"
                + " a chart marks the calls in its budget's scope that were refused by any budget (this one or another"
                + " whose scope holds them too, or one that could not be checked because the store was down).</p>");
        for (SpendReport.BurnDown b : report.budgets()) {
            out.raw("<h3>").text(b.budget()).raw("</h3><p class=\"sub\">").text(b.scope() + " · " + b.period().yamlName()
                    + " · " + b.limitType().yamlName() + " limit " + Figures.usd(b.limitUsd()) + " · warns at "
                    + Figures.usd(b.warnAtUsd())).raw("</p>");
            if (b.scope().keys().containsKey(ScopeKind.MODEL)) {
                out.raw("<p class=\"sub\">").text("Its scope names a model: here a sub-agent's share counts under the"
                        + " sub-agent's own model, as stats by model count it, while the budget charged each attempt"
                        + " whole, sub-agents included, to the attempt's model; the two differ when sub-agents ran on"
                        + " other models.").raw("</p>");
            }
            if (b.openingUsd().signum() != 0) {
                out.raw("<p class=\"sub\">").text("Carried in: " + Figures.usd(b.openingUsd()) + " spent in "
                        + b.days().get(0).period() + " before this report began, included in the spend in the period.")
                        .raw("</p>");
            }
            List<String> labels = new ArrayList<>();
            List<String> titles = new ArrayList<>();
            double[] cumulative = new double[b.days().size()];
            for (int i = 0; i < b.days().size(); i++) {
                SpendReport.BurnDownDay d = b.days().get(i);
                labels.add(SHORT.format(d.day()));
                titles.add(d.day() + " (" + d.period() + ")");
                cumulative[i] = d.cumulativeUsd().doubleValue();
            }
            BarChart chart = new BarChart("Burn-down of budget " + b.budget(), labels, titles, "$", true)
                    .series("spent in the period so far", Palette.group(0), cumulative, Figures::usd)
                    .line("limit " + Figures.usd(b.limitUsd()), Palette.LIMIT, b.limitUsd().doubleValue(), false)
                    .line("warn_at " + Figures.usd(b.warnAtUsd()), Palette.WARN, b.warnAtUsd().doubleValue(), true);
            long refusalDays = 0;
            for (int i = 0; i < b.days().size(); i++) {
                long n = b.days().get(i).refusals();
                if (n > 0) {
                    chart.marker(i, n + (n == 1 ? " call" : " calls") + " in this scope refused by a budget"
                            + " (this one or another)");
                    refusalDays++;
                }
            }
            out.raw(chart.svg());
            List<String[]> legend = chart.legend();
            if (refusalDays > 0) {
                legend.add(new String[] {"▼ days with calls in this scope refused by any budget", Palette.LIMIT});
            }
            Tables.legend(out, legend);
            List<List<String>> rows = new ArrayList<>();
            for (SpendReport.BurnDownDay d : b.days()) {
                rows.add(List.of(d.day().toString(), d.period(), Figures.usd(d.spentUsd()), Figures.usd(d.cumulativeUsd()),
                        Figures.usd(b.limitUsd()), Long.toString(d.refusals())));
            }
            Tables.write(out, "Budget " + b.budget() + " per day", List.of("Day", "Period", "Spent that day",
                    "Spent in period", "Limit", "Refused in scope (any budget)"), rows, new boolean[] {false, false, true, true, true, true});
        }
    }
}
