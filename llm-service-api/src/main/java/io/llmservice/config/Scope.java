package io.llmservice.config;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a budget or rate limit applies to: every key must match ({@code {team: platform}},
 * {@code {agent: x, model: y}}); no keys means everything (global).
 *
 * <pre>{@code
 * Scope platform = new Scope(Map.of(ScopeKind.TEAM, "platform"));
 * platform.matches("code-reviewer", "platform", "claude-code", "claude-sonnet-4-5");   // true
 * Scope.global().matches("any", null, "codex", "gpt-5-codex");                         // true
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public record Scope(Map<ScopeKind, String> keys) {
    public Scope {
        keys = Map.copyOf(keys);
    }

    public static Scope global() {
        return new Scope(Map.of());
    }

    public boolean isGlobal() {
        return keys.isEmpty();
    }

    /** Whether a call with these attributes is inside this scope. */
    public boolean matches(String agent, String team, String tool, String model) {
        for (Map.Entry<ScopeKind, String> e : keys.entrySet()) {
            String actual = switch (e.getKey()) {
                case AGENT -> agent;
                case TEAM -> team;
                case TOOL -> tool;
                case MODEL -> model;
            };
            if (!Objects.equals(actual, e.getValue())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        if (keys.isEmpty()) {
            return "{global}";
        }
        return keys.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().yamlName() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
