package io.llmservice.config;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to read a tool's output ({@code output:} in YAML): its format and the JSONPaths of each
 * extracted field. A field may have several paths (a YAML list); numbers are summed over all
 * matches of all its paths, text takes the last match. For {@link OutputFormat#JSONL} the
 * document the paths apply to is the array of events. For {@link OutputFormat#TEXT} no paths
 * apply: the whole standard output is the text.
 *
 * <pre>{@code
 * OutputSpec json = new OutputSpec(OutputFormat.JSON, Map.of(
 *         OutputField.TEXT, List.of("$.result"),
 *         OutputField.INPUT_TOKENS, List.of("$.usage.input_tokens")), false);
 * ToolDefinition tool = ToolDefinition.builder().name("acme").binary("acme").output(json).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param format                  json, jsonl or text
 * @param paths                   JSONPaths per field; fields without paths are not extracted
 * @param inputIncludesCacheRead  true when the tool's input count already contains the cached
 *                                tokens (OpenAI and Gemini report it so); the adapter then
 *                                subtracts cache reads from input so that no token is priced twice
 *                                (in each entry of the per-model breakdown too)
 * @param modelUsage              where the output holds a per-model breakdown, when it has one; when
 *                                it matches, the call's token counts are the sums over its models
 *                                and each model's share is recorded under that model
 */
public record OutputSpec(OutputFormat format, Map<OutputField, List<String>> paths, boolean inputIncludesCacheRead,
                         Optional<ModelUsageSpec> modelUsage) {
    public OutputSpec {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(modelUsage, "modelUsage");
        EnumMap<OutputField, List<String>> copy = new EnumMap<>(OutputField.class);
        paths.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        paths = java.util.Collections.unmodifiableMap(copy);
    }

    /** An output spec without a per-model breakdown. */
    public OutputSpec(OutputFormat format, Map<OutputField, List<String>> paths, boolean inputIncludesCacheRead) {
        this(format, paths, inputIncludesCacheRead, Optional.empty());
    }

    /** The JSONPaths of a field; empty when the field is not extracted. */
    public List<String> paths(OutputField field) {
        return paths.getOrDefault(field, List.of());
    }

    /** Plain text output: standard output is the answer. */
    public static OutputSpec text() {
        return new OutputSpec(OutputFormat.TEXT, Map.of(), false);
    }
}
