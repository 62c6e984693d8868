package io.llmservice.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain aligned table: a header row, then rows; columns padded to their widest cell, numbers
 * right-aligned when asked. No borders and no colour, so it reads the same in a terminal, a pipe
 * and a file.
 *
 * <pre>{@code
 * TextTable t = new TextTable(List.of("TOOL", "INSTALLED"), Set.of());
 * t.add(List.of("claude-code", "yes"));
 * out.print(t.render());
 * }</pre>
 *
 * <p>Not thread-safe; build and render on one thread.
 */
final class TextTable {
    private final List<String> header;
    private final java.util.Set<Integer> rightAligned;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header, java.util.Set<Integer> rightAligned) {
        this.header = List.copyOf(header);
        this.rightAligned = java.util.Set.copyOf(rightAligned);
    }

    void add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " cells, the header " + header.size());
        }
        rows.add(List.copyOf(row));
    }

    String render() {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                if (i > 0) {
                    line.append("  ");
                }
                line.append(rightAligned.contains(i) ? pad + cell : cell + (i == row.size() - 1 ? "" : pad));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
