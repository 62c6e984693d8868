package io.llmservice;

/**
 * A caller's hint of how demanding a task is. Under the {@code cost-optimized} strategy it
 * selects a model tier through {@code policies.routing.complexity_tiers}.
 *
 * <pre>{@code
 * LlmRequest request = LlmRequest.builder("Rename this variable ...")
 *         .agent("helper")
 *         .complexity(Complexity.SIMPLE)   // cost-optimized picks policies.routing.complexity_tiers.simple
 *         .build();
 * }</pre>
 */
public enum Complexity {
    SIMPLE, MEDIUM, COMPLEX;

    /** Made once: plans and reports name tiers and hints per request. */
    private final String yamlName = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name used in YAML and on the command line. */
    public String yamlName() {
        return yamlName;
    }
}
