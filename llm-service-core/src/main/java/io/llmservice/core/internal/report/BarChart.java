package io.llmservice.core.internal.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * A bar chart drawn as inline SVG: categories along the x axis, one or more series, stacked or side by
 * side, optional horizontal reference lines (a budget's limit) and markers above categories (refusals).
 * Every bar, line and marker is an element of class {@code mark} with a {@code <title>} tooltip; every
 * string is escaped. Bars of value 0 are not drawn; reference lines and markers always are.
 *
 * <pre>{@code
 * BarChart c = new BarChart("Spend per day", List.of("12-01", "12-02"), Figures::usdAxis, true);
 * c.series("code-reviewer", "#4e79a7", new double[] {1.2, 0.4}, v -> "$" + v);
 * c.line("limit $50", "#c0392b", 50, false);
 * html.raw(c.svg());
 * }</pre>
 *
 * Not thread-safe.
 */
public final class BarChart {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 300;
    private static final int LEFT = 72;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 48;
    /** The most x labels drawn; the others stay in the bars' tooltips. */
    private static final int MAX_X_LABELS = 16;

    private final String title;
    private final List<String> categories;
    private final List<String> categoryTitles;
    private final String unit;
    private final boolean stacked;
    private final List<Series> series = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    /**
     * @param title          the chart's accessible name
     * @param categories     short x labels
     * @param categoryTitles long names of the categories, for tooltips
     * @param unit           {@code "$"}, {@code " s"} or {@code ""}: the y axis labels' unit
     * @param stacked        stack the series (else side by side)
     */
    public BarChart(String title, List<String> categories, List<String> categoryTitles, String unit, boolean stacked) {
        this.title = Objects.requireNonNull(title, "title");
        this.categories = List.copyOf(categories);
        this.categoryTitles = List.copyOf(categoryTitles);
        if (categoryTitles.size() != categories.size()) {
            throw new IllegalArgumentException("categories and categoryTitles differ in length");
        }
        this.unit = Objects.requireNonNull(unit, "unit");
        this.stacked = stacked;
    }

    /** Adds a series: one value per category, and how a value reads in a tooltip. */
    public BarChart series(String name, String color, double[] values, DoubleFunction<String> format) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("series " + name + " has " + values.length + " values for "
                    + categories.size() + " categories");
        }
        series.add(new Series(name, color, values.clone(), format));
        return this;
    }

    /** Adds a horizontal reference line at {@code value}. */
    public BarChart line(String label, String color, double value, boolean dashed) {
        lines.add(new Line(label, color, value, dashed));
        return this;
    }

    /** Marks a category (a red triangle above it) with a tooltip. */
    public BarChart marker(int category, String label) {
        markers.add(new Marker(category, label));
        return this;
    }

    /** The series' names and colours, for a legend. */
    public List<String[]> legend() {
        List<String[]> out = new ArrayList<>();
        series.forEach(s -> out.add(new String[] {s.name, s.color}));
        lines.forEach(l -> out.add(new String[] {l.label, l.color}));
        return out;
    }

    /** The chart as an {@code <svg>} element. */
    public String svg() {
        int n = Math.max(1, categories.size());
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        double max = 0;
        for (int c = 0; c < categories.size(); c++) {
            double sum = 0;
            for (Series s : series) {
                sum = stacked ? sum + Math.max(0, s.values[c]) : Math.max(sum, s.values[c]);
            }
            max = Math.max(max, sum);
        }
        for (Line l : lines) {
            max = Math.max(max, l.value);
        }
        double step = niceStep(max <= 0 ? 1 : max / 4);
        double top = Math.max(step, Math.ceil(max * 1.08 / step) * step);
        DoubleFunction<Double> y = v -> TOP + plotH - v / top * plotH;

        Html h = new Html();
        h.raw("<svg class=\"chart\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT
                + "\" role=\"img\" aria-label=\"").text(title).raw("\">");
        h.raw("<title>").text(title).raw("</title>");
        for (double v = 0; v <= top + step / 2; v += step) {
            double yy = y.apply(v);
            h.raw("<line class=\"grid\" x1=\"" + LEFT + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\"" + f(yy) + "\" y2=\""
                    + f(yy) + "\"/>");
            h.raw("<text class=\"axis\" x=\"" + (LEFT - 6) + "\" y=\"" + f(yy + 4) + "\" text-anchor=\"end\">")
                    .text(Figures.axis(v, unit)).raw("</text>");
        }
        double slot = plotW / n;
        // Capped, so that one day or two tools draw bars, not walls.
        double barW = Math.max(1, Math.min(64, slot * 0.8));
        int every = (int) Math.ceil(categories.size() / (double) MAX_X_LABELS);
        for (int c = 0; c < categories.size(); c++) {
            double x0 = LEFT + c * slot + (slot - barW) / 2;
            double base = 0;
            int drawn = 0;
            for (Series s : series) {
                double v = s.values[c];
                double w = stacked ? barW : barW / series.size();
                double x = stacked ? x0 : x0 + drawn * w;
                drawn++;
                if (v <= 0) {
                    continue;
                }
                double from = stacked ? base : 0;
                double yTop = y.apply(from + v);
                double height = Math.max(0.5, y.apply(from) - yTop);
                h.raw("<rect class=\"mark\" x=\"" + f(x) + "\" y=\"" + f(yTop) + "\" width=\"" + f(Math.max(0.5, w - 0.5))
                        + "\" height=\"" + f(height) + "\" fill=\"" + s.color + "\"><title>")
                        .text(categoryTitles.get(c) + " · " + s.name + ": " + s.format.apply(v)).raw("</title></rect>");
                if (stacked) {
                    base += v;
                }
            }
            if (c % every == 0) {
                h.raw("<text class=\"axis\" x=\"" + f(LEFT + c * slot + slot / 2) + "\" y=\"" + (HEIGHT - BOTTOM + 16)
                        + "\" text-anchor=\"middle\">").text(categories.get(c)).raw("</text>");
            }
        }
        for (Line l : lines) {
            double yy = y.apply(l.value);
            h.raw("<rect class=\"mark line\" x=\"" + LEFT + "\" y=\"" + f(yy - 1) + "\" width=\"" + f(plotW)
                    + "\" height=\"2\" fill=\"" + l.color + "\"" + (l.dashed ? " fill-opacity=\"0.6\"" : "")
                    + "><title>").text(l.label).raw("</title></rect>");
        }
        for (Marker m : markers) {
            double cx = LEFT + m.category * slot + slot / 2;
            double yy = TOP + 2;
            h.raw("<path class=\"mark refusal\" d=\"M" + f(cx - 6) + " " + f(yy) + " L" + f(cx + 6) + " " + f(yy) + " L"
                    + f(cx) + " " + f(yy + 10) + " Z\" fill=\"#c0392b\"><title>").text(categoryTitles.get(m.category)
                    + ": " + m.label).raw("</title></path>");
        }
        h.raw("<line class=\"axisline\" x1=\"" + LEFT + "\" x2=\"" + (WIDTH - RIGHT) + "\" y1=\"" + f(TOP + plotH)
                + "\" y2=\"" + f(TOP + plotH) + "\"/>");
        h.raw("</svg>");
        return h.toString();
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private record Series(String name, String color, double[] values, DoubleFunction<String> format) {
    }

    private record Line(String label, String color, double value, boolean dashed) {
    }

    private record Marker(int category, String label) {
    }
}
