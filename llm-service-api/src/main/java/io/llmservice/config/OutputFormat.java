package io.llmservice.config;

import java.util.Locale;

/**
 * The shape of a tool's standard output: one JSON document, JSON lines (treated as the array of events), or plain text.
 *
 * <pre>{@code
 * OutputSpec spec = OutputSpec.builder().format(OutputFormat.JSONL)
 *         .path(OutputField.TEXT, "$[?(@.type == 'result')].text")
 *         .build();
 * }</pre>
 */
public enum OutputFormat {
    JSON, JSONL, TEXT;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
