package io.llmservice.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * An agent ({@code agents:} in YAML): who it belongs to and which tool/model serves it.
 *
 * <pre>{@code
 * AgentDefinition reviewer = llm.config().agent("code-reviewer").orElseThrow();
 * RouteTarget first = reviewer.preferred();            // claude-code / claude-sonnet-4-5
 * List<RouteTarget> then = reviewer.fallbacks();       // in order
 * Set<String> candidates = reviewer.allTools();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param name      the agent's name
 * @param team      the team it is billed to, when set
 * @param tool      the preferred tool
 * @param model     the preferred catalogue model
 * @param fallbacks tried in order when the preferred pair fails retriably
 * @param tools     extra tools the {@code cost-optimized} strategy may choose among
 */
public record AgentDefinition(String name, Optional<String> team, String tool, String model,
                              List<RouteTarget> fallbacks, List<String> tools) {
    public AgentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        fallbacks = List.copyOf(fallbacks);
        tools = List.copyOf(tools);
    }

    /** The preferred pair. */
    public RouteTarget preferred() {
        return new RouteTarget(tool, model);
    }

    /** Every tool this agent may use, in order: preferred, fallbacks', then {@code tools}. */
    public Set<String> allTools() {
        Set<String> all = new LinkedHashSet<>();
        all.add(tool);
        fallbacks.forEach(f -> all.add(f.tool()));
        all.addAll(tools);
        return all;
    }
}
