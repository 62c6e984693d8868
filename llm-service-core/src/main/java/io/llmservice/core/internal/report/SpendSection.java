package io.llmservice.core.internal.report;

import io.llmservice.SpendReport;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Spend per day, stacked by the report's dimension: the {@value #TOP_GROUPS} groups that spent most,
 * the rest added up as "other" so the legend stays readable; the table has the same columns.
 */
public final class SpendSection implements ReportSection {
    /** How many groups get their own colour; the rest are "other". */
    public static final int TOP_GROUPS = 8;
    /** The key of the "other" column: no group name holds a NUL. */
    private static final String OTHER = "\u0000other";
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd", Locale.ROOT);

    @Override
    public String id() {
        return "spend";
    }

    @Override
    public String title() {
        return "Spend per day";
    }

    @Override
    public void write(SpendReport report, Html out) {
        Map<String, BigDecimal> byGroup = new HashMap<>();
        report.spend().forEach(d -> byGroup.merge(d.group(), d.costUsd(), BigDecimal::add));
        List<String> ranked = new ArrayList<>(byGroup.keySet());
        ranked.sort(Comparator.comparing((String g) -> byGroup.get(g)).reversed().thenComparing(g -> g));
        List<String> top = ranked.subList(0, Math.min(TOP_GROUPS, ranked.size()));
        boolean other = ranked.size() > TOP_GROUPS;
        List<String> columns = new ArrayList<>(top);
        if (other) {
            columns.add(OTHER);
        }
        List<LocalDate> days = report.days();
        Map<LocalDate, Integer> index = new HashMap<>();
        for (int i = 0; i < days.size(); i++) {
            index.put(days.get(i), i);
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        Map<String, BigDecimal[]> exact = new LinkedHashMap<>();
        for (String c : columns) {
            values.put(c, new double[days.size()]);
            BigDecimal[] zeros = new BigDecimal[days.size()];
            java.util.Arrays.fill(zeros, BigDecimal.ZERO);
            exact.put(c, zeros);
        }
        for (SpendReport.DaySpend d : report.spend()) {
            Integer i = index.get(d.day());
            if (i == null) {
                continue;
            }
            String c = top.contains(d.group()) ? d.group() : OTHER;
            exact.get(c)[i] = exact.get(c)[i].add(d.costUsd());
            values.get(c)[i] = exact.get(c)[i].doubleValue();
        }
        List<String> labels = days.stream().map(SHORT::format).toList();
        List<String> titles = days.stream().map(LocalDate::toString).toList();
        BarChart chart = new BarChart("Spend per day by " + report.by().yamlName(), labels, titles, "$", true);
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            chart.series(label(c, ranked.size(), report), c.equals(OTHER) ? Palette.OTHER : Palette.group(i),
                    values.get(c), Figures::usd);
        }
        out.raw(chart.svg());
        Tables.legend(out, chart.legend());
        List<String> header = new ArrayList<>();
        header.add("Day");
        columns.forEach(c -> header.add(label(c, ranked.size(), report)));
        header.add("Total");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            List<String> row = new ArrayList<>();
            row.add(days.get(i).toString());
            BigDecimal total = BigDecimal.ZERO;
            for (String c : columns) {
                BigDecimal v = exact.get(c)[i];
                total = total.add(v);
                row.add(Figures.usd(v));
            }
            row.add(Figures.usd(total));
            rows.add(row);
        }
        boolean[] numeric = new boolean[header.size()];
        java.util.Arrays.fill(numeric, true);
        numeric[0] = false;
        Tables.write(out, "Spend per day (USD) by " + report.by().yamlName(), header, rows, numeric);
    }

    private static String label(String column, int groups, SpendReport report) {
        return column.equals(OTHER) ? "other (" + (groups - TOP_GROUPS) + " " + report.by().yamlName() + "s)"
                : Tables.name(column);
    }
}
