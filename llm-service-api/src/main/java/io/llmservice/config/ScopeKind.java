package io.llmservice.config;

import java.util.Locale;

/** A dimension a budget or rate limit can be scoped to. */
public enum ScopeKind {
    AGENT, TEAM, MODEL, TOOL;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
