package io.llmservice.core.internal.report;

/**
 * The HTML of a report as it is written: markup appended as is, every piece of data through
 * {@link #text} or {@link #escape}, so no agent, team, tool or model name can break out of the page.
 *
 * <pre>{@code
 * Html h = new Html();
 * h.raw("<td>").text(row.group()).raw("</td>");
 * }</pre>
 *
 * Not thread-safe.
 */
public final class Html {
    private final StringBuilder sb = new StringBuilder(64 * 1024);

    /** Appends markup written by this package (never data). */
    public Html raw(String markup) {
        sb.append(markup);
        return this;
    }

    /** Appends data, escaped for text and attribute values alike. */
    public Html text(String data) {
        sb.append(escape(data));
        return this;
    }

    /** {@code & < > " '} as entities; control characters other than tab and newline dropped. */
    public static String escape(String data) {
        StringBuilder out = new StringBuilder(data.length() + 16);
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
