package io.llmservice.config;

import java.util.Objects;

/**
 * A tool + catalogue model pair, e.g. one entry of an agent's {@code fallbacks}.
 *
 * <pre>{@code
 * RouteTarget codex = new RouteTarget("codex", "gpt-5-codex");
 * boolean fallsBackToCodex = llm.config().agent("code-reviewer").orElseThrow().fallbacks().contains(codex);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record RouteTarget(String tool, String model) {
    public RouteTarget {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
    }

    // equals and hashCode written out: a record's generated ones are linked through an invokedynamic call
    // site on first use, ~10 ms of a command-line call (routing puts targets in a set).
    @Override
    public boolean equals(Object o) {
        return o instanceof RouteTarget t && tool.equals(t.tool) && model.equals(t.model);
    }

    @Override
    public int hashCode() {
        return 31 * tool.hashCode() + model.hashCode();
    }

    @Override
    public String toString() {
        return tool + "/" + model;
    }
}
