package io.llmservice.config;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * A model of the catalogue ({@code models:} in YAML).
 *
 * <pre>{@code
 * ModelDefinition sonnet = llm.config().model("claude-sonnet-4-5").orElseThrow();
 * BigDecimal listCost = sonnet.pricing().cost(1200, 300, 0, 0);   // US dollars at list price
 * boolean fits = sonnet.contextWindow() >= 150_000;
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param id            the catalogue id, e.g. {@code claude-sonnet-4-5}
 * @param provider      the vendor, e.g. {@code anthropic}
 * @param tier          economy, standard or premium
 * @param contextWindow the context window in tokens
 * @param pricing       list prices per 1M tokens
 * @param pricesAsOf    the date the prices were taken, when known
 */
public record ModelDefinition(String id, String provider, Tier tier, long contextWindow, Pricing pricing,
                              Optional<LocalDate> pricesAsOf) {
    public ModelDefinition {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(pricing, "pricing");
        Objects.requireNonNull(pricesAsOf, "pricesAsOf");
        if (contextWindow <= 0) {
            throw new IllegalArgumentException("models." + id + ".context_window must be > 0, was " + contextWindow);
        }
    }
}
