package io.llmservice.core.internal.config;

import io.llmservice.ConfigProblem;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Collects the problems of one load. Remembers which YAML paths already have a problem so
 * that later stages (Hibernate Validator, cross-reference checks) do not report a second,
 * derived problem for the same value. Not thread-safe: one instance per load.
 */
final class Problems {
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Set<String> reportedPaths = new HashSet<>();

    /** A problem at the start of {@code node}; the node's mark names its file. */
    void at(Node node, String path, String message) {
        at(node.getStartMark(), path, message);
    }

    /** A problem at a snakeyaml mark (0-based, converted to 1-based). */
    void at(Optional<Mark> mark, String path, String message) {
        if (mark.isPresent()) {
            Mark m = mark.get();
            add(new ConfigProblem(m.getName(), m.getLine() + 1, m.getColumn() + 1, path, message));
        } else {
            add(new ConfigProblem("<unknown>", 0, 0, path, message));
        }
    }

    /** A problem without a position, such as a missing file. */
    void inSource(String source, String path, String message) {
        add(new ConfigProblem(source, 0, 0, path, message));
    }

    void add(ConfigProblem problem) {
        problems.add(problem);
        reportedPaths.add(problem.path());
    }

    /** Marks a path as already handled without adding a problem (e.g. a missing variable reported later). */
    void markReported(String path) {
        reportedPaths.add(path);
    }

    /** Whether {@code path} or one of its ancestors already has a problem. */
    boolean reportedAtOrAbove(String path) {
        String p = path;
        while (true) {
            if (reportedPaths.contains(p)) {
                return true;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return false;
            }
            p = p.substring(0, cut);
        }
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<ConfigProblem> all() {
        return List.copyOf(problems);
    }
}
