package io.llmservice.core.internal.report;

import java.util.List;

/** The report's colours: eight distinct hues for groups, a grey for "other", fixed ones for outcomes. */
final class Palette {
    static final List<String> GROUPS = List.of("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2",
            "#ff9da7", "#9c755f");
    static final String OTHER = "#bab0ac";
    static final String LIMIT = "#c0392b";
    static final String WARN = "#e67e22";

    private Palette() {
    }

    static String group(int i) {
        return GROUPS.get(i % GROUPS.size());
    }
}
