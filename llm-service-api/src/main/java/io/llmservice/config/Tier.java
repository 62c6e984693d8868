package io.llmservice.config;

import java.util.Locale;

/**
 * A model's price/capability class; the {@code cost-optimized} strategy picks a tier, then the cheapest model in it. Ordered from cheapest to most capable.
 *
 * <pre>{@code
 * Tier tier = llm.config().model("claude-haiku-4-5").map(ModelDefinition::tier).orElseThrow();   // ECONOMY
 * boolean cheaper = tier.compareTo(Tier.PREMIUM) < 0;
 * }</pre>
 */
public enum Tier {
    ECONOMY, STANDARD, PREMIUM;

    /** Made once: plans and reports name tiers and hints per request. */
    private final String yamlName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return yamlName;
    }
}
