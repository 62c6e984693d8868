package io.llmservice.config;

import java.util.Locale;

/**
 * The values the generic CLI adapter extracts from a tool's output, each through a JSONPath
 * under {@code output:} in YAML ({@code text}, {@code input_tokens}, ...). Numbers are summed
 * over all matches; text takes the last match.
 *
 * <pre>{@code
 * // tools: {acme: {output: {format: json, text: $.answer, input_tokens: $.usage.in}}}
 * List<String> textPaths = llm.config().tool("acme").orElseThrow().output().paths(OutputField.TEXT);   // ["$.answer"]
 * }</pre>
 */
public enum OutputField {
    /** The answer text. */
    TEXT,
    INPUT_TOKENS,
    OUTPUT_TOKENS,
    CACHE_READ_TOKENS,
    CACHE_WRITE_TOKENS,
    /** The tool's own cost figure in US dollars. */
    COST_USD,
    /** A boolean: true means the tool reports a failure. */
    IS_ERROR,
    /** The vendor API's HTTP status when the tool reports one. */
    ERROR_STATUS,
    /** A human-readable error message reported by the tool. */
    ERROR_MESSAGE,
    /** The model id the tool says it really used. */
    MODEL;

    /** The YAML key, e.g. {@code cache_read_tokens}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
