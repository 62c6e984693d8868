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

    @Override
    public String toString() {
        return tool + "/" + model;
    }
}
