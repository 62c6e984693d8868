package io.llmservice.config;

import java.util.Locale;

/**
 * A dimension a budget or rate limit can be scoped to.
 *
 * <pre>{@code
 * // policies: {budgets: [{name: platform-daily, scope: {team: platform}, ...}]}
 * Scope scope = new Scope(Map.of(ScopeKind.TEAM, "platform", ScopeKind.MODEL, "claude-opus-4-1"));
 * }</pre>
 */
public enum ScopeKind {
    AGENT, TEAM, MODEL, TOOL;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
