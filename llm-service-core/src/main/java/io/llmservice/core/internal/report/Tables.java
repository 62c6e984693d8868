package io.llmservice.core.internal.report;

import java.util.List;

/** Writes the table under a chart: a header row, then rows of cells; numbers right-aligned. Stateless. */
final class Tables {
    private Tables() {
    }

    /**
     * @param numeric which columns hold numbers (right-aligned)
     */
    static void write(Html out, String caption, List<String> header, List<List<String>> rows, boolean[] numeric) {
        out.raw("<table><caption>").text(caption).raw("</caption><thead><tr>");
        for (int i = 0; i < header.size(); i++) {
            out.raw(numeric[i] ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">").text(header.get(i))
                    .raw("</th>");
        }
        out.raw("</tr></thead><tbody>");
        for (List<String> row : rows) {
            out.raw("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.raw(numeric[i] ? "<td class=\"num\">" : "<td>").text(row.get(i)).raw("</td>");
            }
            out.raw("</tr>");
        }
        out.raw("</tbody></table>");
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
