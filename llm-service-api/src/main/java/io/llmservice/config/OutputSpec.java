package io.llmservice.config;

import java.util.ArrayList;
import java.util.Collections;
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
 * OutputSpec json = OutputSpec.builder().format(OutputFormat.JSON)
 *         .path(OutputField.TEXT, "$.result")
 *         .path(OutputField.INPUT_TOKENS, "$.usage.input_tokens")
 *         .build();
 * ToolDefinition tool = ToolDefinition.builder().name("acme").binary("acme").output(json).build();
 * OutputSpec cached = json.toBuilder().inputIncludesCacheRead(true).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Build one with {@link #builder()}
 * (the canonical constructor stays public, but it breaks whenever a component is added).
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
        paths = Collections.unmodifiableMap(copy);
    }

    /**
     * An output spec without a per-model breakdown: the components that existed before
     * {@code model_usage:}, kept so that callers of that constructor still compile. Prefer the
     * {@link #builder()}.
     */
    public OutputSpec(OutputFormat format, Map<OutputField, List<String>> paths, boolean inputIncludesCacheRead) {
        this(format, paths, inputIncludesCacheRead, Optional.empty());
    }

    /** A builder with nothing set; see {@link Builder} for the required part and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().format(format).paths(paths).inputIncludesCacheRead(inputIncludesCacheRead)
                .modelUsage(modelUsage);
    }

    /** The JSONPaths of a field; empty when the field is not extracted. */
    public List<String> paths(OutputField field) {
        return paths.getOrDefault(field, List.of());
    }

    /** Plain text output: standard output is the answer. */
    public static OutputSpec text() {
        return builder().format(OutputFormat.TEXT).build();
    }

    /**
     * Builds {@link OutputSpec}s. Only {@code format} is required. Defaults: no paths,
     * {@code inputIncludesCacheRead} false, no per-model breakdown. {@link #paths(Map)} replaces
     * every field's paths, {@link #path} adds one path to a field. Not thread-safe.
     */
    public static final class Builder {
        private OutputFormat format;
        private final Map<OutputField, List<String>> paths = new EnumMap<>(OutputField.class);
        private boolean inputIncludesCacheRead;
        private Optional<ModelUsageSpec> modelUsage = Optional.empty();

        private Builder() {
        }

        /** json, jsonl or text; required. */
        public Builder format(OutputFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** Replaces the JSONPaths of every field. */
        public Builder paths(Map<OutputField, List<String>> paths) {
            Objects.requireNonNull(paths, "paths");
            this.paths.clear();
            paths.forEach((field, list) -> this.paths.put(field, new ArrayList<>(list)));
            return this;
        }

        /** Adds a JSONPath to a field, after those it has. */
        public Builder path(OutputField field, String path) {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(path, "path");
            paths.computeIfAbsent(field, f -> new ArrayList<>()).add(path);
            return this;
        }

        /** True when the tool's input count already contains the cached tokens. */
        public Builder inputIncludesCacheRead(boolean inputIncludesCacheRead) {
            this.inputIncludesCacheRead = inputIncludesCacheRead;
            return this;
        }

        /** Where the output holds a per-model breakdown. */
        public Builder modelUsage(ModelUsageSpec modelUsage) {
            this.modelUsage = Optional.of(modelUsage);
            return this;
        }

        public Builder modelUsage(Optional<ModelUsageSpec> modelUsage) {
            this.modelUsage = Objects.requireNonNull(modelUsage, "modelUsage");
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalStateException when {@code format} was not set
         */
        public OutputSpec build() {
            if (format == null) {
                throw new IllegalStateException("OutputSpec.format is required and was not set");
            }
            return new OutputSpec(format, paths, inputIncludesCacheRead, modelUsage);
        }
    }
}
