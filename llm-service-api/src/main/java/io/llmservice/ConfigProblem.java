package io.llmservice;

import java.util.Comparator;
import java.util.Objects;

/**
 * One problem found in a configuration, located at a file, line and column (both 1-based)
 * and a dotted path such as {@code tools.codex.timeout}.
 *
 * <p>{@link #toString()} renders the form users see:
 * {@code llm.yaml:14:11: tools.codex.timeout: must be a positive duration like 90s or 10m (was "-5s")}.
 * A problem without a position (for example a missing file) has line and column 0 and renders
 * as {@code file: path: message}.
 *
 * <pre>{@code
 * try (LlmService llm = LlmService.fromConfig(Path.of("llm.yaml"))) {
 *     ...
 * } catch (ConfigException e) {
 *     for (ConfigProblem p : e.problems()) {
 *         System.err.println(p);   // llm.yaml:14:11: tools.codex.timeout: must be a positive duration ...
 *     }
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record ConfigProblem(String source, int line, int column, String path, String message)
        implements Comparable<ConfigProblem> {

    private static final Comparator<ConfigProblem> ORDER = Comparator
            .comparing(ConfigProblem::source)
            .thenComparingInt(ConfigProblem::line)
            .thenComparingInt(ConfigProblem::column)
            .thenComparing(ConfigProblem::path)
            .thenComparing(ConfigProblem::message);

    public ConfigProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line and column must be >= 0, was " + line + ":" + column);
        }
    }

    @Override
    public int compareTo(ConfigProblem other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
