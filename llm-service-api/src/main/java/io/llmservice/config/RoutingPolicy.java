package io.llmservice.config;

import io.llmservice.Complexity;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code policies.routing}: the strategy and the knobs of {@code cost-optimized}.
 *
 * <pre>{@code
 * RoutingPolicy routing = llm.config().policies().routing();
 * Tier forSimpleTasks = routing.tierFor(Complexity.SIMPLE);   // ECONOMY unless complexity_tiers says otherwise
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param strategy          the routing strategy's type name ({@code preference}, {@code cost-optimized}, or custom)
 * @param smallPromptTokens prompts estimated at or below this many tokens go to the economy tier
 * @param complexityTiers   which tier each complexity hint selects
 */
public record RoutingPolicy(String strategy, long smallPromptTokens, Map<Complexity, Tier> complexityTiers) {
    public static final String DEFAULT_STRATEGY = "preference";
    public static final long DEFAULT_SMALL_PROMPT_TOKENS = 2000;

    public RoutingPolicy {
        Objects.requireNonNull(strategy, "strategy");
        complexityTiers = Map.copyOf(complexityTiers);
        if (smallPromptTokens < 0) {
            throw new IllegalArgumentException("small_prompt_tokens must be >= 0, was " + smallPromptTokens);
        }
    }

    /** The defaults: {@code preference}, 2000 tokens, simple→economy, medium→standard, complex→premium. */
    public static RoutingPolicy defaults() {
        return new RoutingPolicy(DEFAULT_STRATEGY, DEFAULT_SMALL_PROMPT_TOKENS, defaultTiers());
    }

    public static Map<Complexity, Tier> defaultTiers() {
        Map<Complexity, Tier> m = new EnumMap<>(Complexity.class);
        m.put(Complexity.SIMPLE, Tier.ECONOMY);
        m.put(Complexity.MEDIUM, Tier.STANDARD);
        m.put(Complexity.COMPLEX, Tier.PREMIUM);
        return m;
    }

    public Tier tierFor(Complexity complexity) {
        return complexityTiers.getOrDefault(complexity, defaultTiers().get(complexity));
    }
}
