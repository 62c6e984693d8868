package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;
import io.llmservice.WhatIfBudget;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The "What if" section ({@code llm-service report --whatif proposed.yaml}): the recorded and the proposed
 * cost per agent side by side, then tables of the totals, the moves between tool/model pairs and the
 * proposed budgets, what was not replayed, and the replay's assumptions. The chart shows the
 * {@value #TOP_AGENTS} agents with the highest recorded cost; the table lists every agent.
 *
 * <pre>{@code
 * new HtmlReportWriter(HtmlReportWriter.standardSections()).with(new WhatIfSection(whatIf)).write(report, out);
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class WhatIfSection implements ReportSection {
    /** How many agents get their own pair of bars. */
    public static final int TOP_AGENTS = 20;
    private static final String RECORDED = "#9c9c9c";
    private static final String PROPOSED = "#4e79a7";

    private final WhatIfReport whatIf;

    public WhatIfSection(WhatIfReport whatIf) {
        this.whatIf = Objects.requireNonNull(whatIf, "whatIf");
    }

    @Override
    public String id() {
        return "whatif";
    }

    @Override
    public String title() {
        return "What if";
    }

    @Override
    public void write(SpendReport report, Html out) {
        WhatIfReport r = whatIf;
        WhatIfCost total = r.total();
        out.raw("<p>").text(Figures.count(r.requests()) + " requests from " + r.from() + " to " + r.to()
                + " replayed under routing strategy '" + r.strategy() + "': recorded " + Figures.usd(total.recordedUsd())
                + ", proposed " + Figures.usd(total.proposedUsd()) + " (" + signedUsd(total.differenceUsd())
                + total.percent().map(p -> ", " + p.toPlainString() + " %").orElse("") + ").").raw("</p>");
        List<WhatIfCost> ranked = new ArrayList<>(r.agents());
        ranked.sort(Comparator.comparing(WhatIfCost::recordedUsd).reversed().thenComparing(WhatIfCost::agent));
        List<WhatIfCost> shown = ranked.subList(0, Math.min(TOP_AGENTS, ranked.size()));
        if (!shown.isEmpty()) {
            List<String> names = shown.stream().map(c -> Tables.name(c.agent())).toList();
            BarChart chart = new BarChart("Recorded and proposed cost per agent", names, names, "$", false);
            chart.series("recorded", RECORDED, shown.stream().mapToDouble(c -> c.recordedUsd().doubleValue()).toArray(),
                    Figures::usd);
            chart.series("proposed", PROPOSED, shown.stream().mapToDouble(c -> c.proposedUsd().doubleValue()).toArray(),
                    Figures::usd);
            out.raw(chart.svg());
            Tables.legend(out, chart.legend());
        }
        List<List<String>> rows = new ArrayList<>();
        r.agents().forEach(c -> rows.add(costRow(c)));
        rows.add(costRow(total));
        Tables.write(out, "Cost per agent, recorded and proposed", List.of("Agent", "Requests", "Recorded",
                "Proposed", "Difference", "Percent"), rows, new boolean[] {false, true, true, true, true, true});

        List<List<String>> moves = new ArrayList<>();
        for (WhatIfMove m : r.moves()) {
            moves.add(List.of(pair(m.fromTool(), m.fromModel()), pair(m.toTool(), m.toModel()),
                    Figures.count(m.requests()), Figures.usd(m.recordedUsd()), Figures.usd(m.proposedUsd())));
        }
        Tables.write(out, "Requests by recorded and proposed tool/model", List.of("Recorded", "Proposed", "Requests",
                "Recorded cost", "Proposed cost"), moves, new boolean[] {false, false, true, true, true});

        if (!r.budgets().isEmpty()) {
            List<List<String>> budgets = new ArrayList<>();
            for (WhatIfBudget b : r.budgets()) {
                budgets.add(List.of(b.budget().name(), b.budget().scope().toString(),
                        Figures.usd(b.limitUsd()) + " " + b.budget().period().yamlName() + " "
                                + b.budget().limitType().yamlName() + ", " + b.budget().onExceed().yamlName(),
                        Figures.count(b.refused()), Figures.count(b.downgraded()), Figures.count(b.over()),
                        b.ranOutOn().map(Object::toString).orElse("never")));
            }
            Tables.write(out, "Proposed budgets over the replayed requests", List.of("Budget", "Scope", "Limit",
                    "Refused", "Downgraded", "Over (soft)", "First ran out"), budgets,
                    new boolean[] {false, false, false, true, true, true, false});
        }
        if (!r.notReplayed().isEmpty()) {
            out.raw("<h3>").text("Not replayed").raw("</h3><ul class=\"note\">");
            r.notReplayed().forEach(line -> out.raw("<li>").text(line).raw("</li>"));
            out.raw("</ul>");
        }
        out.raw("<h3>").text("Assumptions").raw("</h3><ul class=\"note\">");
        r.assumptions().forEach(line -> out.raw("<li>").text(line).raw("</li>"));
        out.raw("</ul>");
    }

    private static List<String> costRow(WhatIfCost c) {
        return List.of(Tables.name(c.agent()), Figures.count(c.requests()), Figures.usd(c.recordedUsd()),
                Figures.usd(c.proposedUsd()), signedUsd(c.differenceUsd()),
                c.percent().map(p -> p.toPlainString() + " %").orElse("-"));
    }

    private static String signedUsd(BigDecimal v) {
        return (v.signum() < 0 ? "-" : "+") + Figures.usd(v.abs());
    }

    private static String pair(String tool, String model) {
        // a refused request's destination is "(refused by <budget>)" with no model
        return tool.isEmpty() ? "(none)" : model.isEmpty() ? tool : tool + "/" + model;
    }
}
