package io.llmservice.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a tool's output holds its per-model breakdown ({@code output.model_usage:} in YAML): a
 * JSONPath to an object keyed by the model ids the tool called, and, for each model's entry,
 * JSONPaths (relative to the entry, {@code $} being the entry) of its token counts and cost.
 * Claude Code's {@code modelUsage} covers the main thread and every sub-agent, where its
 * {@code usage} covers the main thread only.
 *
 * <pre>{@code
 * // output:
 * //   model_usage: {path: $.modelUsage, input_tokens: $.inputTokens, output_tokens: $.outputTokens,
 * //                 cache_read_tokens: $.cacheReadInputTokens, cache_write_tokens: $.cacheCreationInputTokens,
 * //                 cost_usd: $.costUSD}
 * ModelUsageSpec spec = new ModelUsageSpec("$.modelUsage", Map.of(
 *         OutputField.INPUT_TOKENS, "$.inputTokens", OutputField.OUTPUT_TOKENS, "$.outputTokens",
 *         OutputField.COST_USD, "$.costUSD"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param path   JSONPath of the breakdown: an object whose keys are model ids and whose values are
 *               each model's entry
 * @param fields JSONPath, within one entry, of each count and of the cost; only
 *               {@link #FIELDS} are allowed
 */
public record ModelUsageSpec(String path, Map<OutputField, String> fields) {

    /** The fields an entry can have: the four token counts and the cost. */
    public static final Set<OutputField> FIELDS = Collections.unmodifiableSet(java.util.EnumSet.of(
            OutputField.INPUT_TOKENS, OutputField.OUTPUT_TOKENS, OutputField.CACHE_READ_TOKENS,
            OutputField.CACHE_WRITE_TOKENS, OutputField.COST_USD));

    public ModelUsageSpec {
        Objects.requireNonNull(path, "path");
        if (path.isBlank()) {
            throw new IllegalArgumentException("output.model_usage.path must not be blank");
        }
        EnumMap<OutputField, String> copy = new EnumMap<>(OutputField.class);
        fields.forEach((field, p) -> {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("output.model_usage." + field.yamlName()
                        + " is not a per-model field; allowed: input_tokens, output_tokens, cache_read_tokens,"
                        + " cache_write_tokens, cost_usd");
            }
            copy.put(field, Objects.requireNonNull(p, "path of " + field.yamlName()));
        });
        fields = Collections.unmodifiableMap(copy);
    }

    /** The JSONPath of {@code field} within one model's entry, when configured. */
    public Optional<String> field(OutputField field) {
        return Optional.ofNullable(fields.get(field));
    }
}
