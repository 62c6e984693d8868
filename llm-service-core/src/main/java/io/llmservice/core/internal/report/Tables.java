package io.llmservice.core.internal.report;

import java.util.List;

/**
 * Writes the table under a chart: a header row, then rows whose first cell is the row's header
 * ({@code <th scope="row">}, for screen readers); numbers right-aligned. Stateless.
 */
final class Tables {
    /** Tables with more rows than this are folded ({@code <details>}) under their chart. */
    static final int FOLD_ABOVE = 10;

    private Tables() {
    }

    /**
     * @param numeric which columns hold numbers (right-aligned)
     */
    static void write(Html out, String caption, List<String> header, List<List<String>> rows, boolean[] numeric) {
        // A long table (a row per day) is folded under its chart so the charts stay together; it is in the page,
        // open with a click, and copied or printed like any other.
        boolean fold = rows.size() > FOLD_ABOVE;
        if (fold) {
            out.raw("<details><summary>").text("Table: " + caption + " (" + rows.size() + " rows)").raw("</summary>");
        }
        out.raw("<table><caption>").text(caption).raw("</caption><thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            out.raw(numeric[i] ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">").text(header.get(i))
                    .raw("</th>");
        }
        out.raw("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.raw("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String cell = i == 0 ? "th" : "td";
                out.raw("<" + cell + (numeric[i] ? " class=\"num\"" : "") + (i == 0 ? " scope=\"row\">" : ">"))
                        .text(row.get(i)).raw("</" + cell + ">");
            }
            out.raw("</tr>");
        }
        out.raw("</tbody></table>");
        if (fold) {
            out.raw("</details>");
        }
    }

    /** The legend under a chart. */
    static void legend(Html out, List<String[]> entries) {
        out.raw("<ul class=\"legend\">");
        for (String[] e : entries) {
            out.raw("<li><span class=\"swatch\" style=\"background:" + e[1] + "\"></span>").text(e[0]).raw("</li>");
        }
        out.raw("</ul>");
    }

    /** A group's name for people: {@code (none)} for the empty one. */
    static String name(String group) {
        return group.isEmpty() ? "(none)" : group;
    }
}
