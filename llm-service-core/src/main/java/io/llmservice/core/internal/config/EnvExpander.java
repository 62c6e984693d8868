package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Expands <code>${VAR}</code> and <code>${VAR:-default}</code> in scalar values from an injected
 * environment; <code>$${</code> is a literal <code>${</code>. As in a POSIX shell, the default applies
 * when the variable is unset or empty. A variable that is unset and has no default becomes
 * <em>one</em> problem naming every place it is used (see {@link #reportMissing(Problems)}).
 * Not thread-safe: one instance per load.
 */
final class EnvExpander {
    private final Map<String, String> environment;
    /** Missing variable -> where it is used, in order of use. */
    private final Map<String, List<Use>> missing = new LinkedHashMap<>();
    /** Variable -> value, for every variable a value was taken from (the service masks these values). */
    private final Map<String, String> expanded = new LinkedHashMap<>();

    private record Use(Node node, String path) {
    }

    EnvExpander(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * The expanded text, or {@code null} when it cannot be expanded (a missing variable, which
     * is reported later, or a syntax error, reported now).
     */
    String expand(String raw, Node node, String path, Problems problems) {
        if (raw.indexOf('$') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        boolean complete = true;
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '$' && raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && raw.startsWith("${", i)) {
                int close = raw.indexOf('}', i + 2);
                if (close < 0) {
                    problems.at(node, path, "unclosed ${ in \"" + raw + "\"; close it with } or write $${ for a literal ${");
                    return null;
                }
                String body = raw.substring(i + 2, close);
                int colon = body.indexOf(":-");
                String name = colon >= 0 ? body.substring(0, colon) : body;
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    problems.at(node, path, "invalid variable name \"" + name + "\" in \"" + raw
                            + "\"; use letters, digits and _ (or write $${ for a literal ${)");
                    return null;
                }
                String value = environment.get(name);
                if (value != null && !value.isEmpty()) {
                    expanded.put(name, value);
                }
                if (colon >= 0) {
                    out.append(value == null || value.isEmpty() ? body.substring(colon + 2) : value);
                } else if (value == null) {
                    missing.computeIfAbsent(name, k -> new ArrayList<>()).add(new Use(node, path));
                    problems.markReported(path);
                    complete = false;
                } else {
                    out.append(value);
                }
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return complete ? out.toString() : null;
    }

    /**
     * Every variable whose (non-empty) value the expansions so far took from the environment, by
     * name: values that may be secrets ({@code ${ACME_TOKEN}}), which the service masks in every
     * message, log line and record.
     */
    Map<String, String> expandedVariables() {
        return Map.copyOf(expanded);
    }

    /** One problem per missing variable, at its first use, listing every use. */
    void reportMissing(Problems problems) {
        missing.forEach((name, uses) -> {
            String places = uses.stream().map(u -> place(u.node())).collect(Collectors.joining(", "));
            Use first = uses.get(0);
            problems.at(first.node(), first.path(), "environment variable " + name + " is not set (used at " + places
                    + "); set it, or write ${" + name + ":-default} to give a default");
        });
    }

    private static String place(Node node) {
        return node.getStartMark().map(m -> m.getName() + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1))
                .orElse("<unknown>");
    }
}
