package io.llmservice.config;

import java.util.Locale;

/**
 * How a tool receives the prompt: on standard input (default), as one argv element through the {@code {prompt}} placeholder, or as a temporary file through {@code {prompt_file}}.
 *
 * <pre>{@code
 * ToolDefinition aider = ToolDefinition.builder().name("aider").binary("aider")
 *         .args(List.of("--message={prompt}", "--model", "{model}", "--yes"))
 *         .prompt(PromptMode.ARGUMENT)
 *         .build();
 * }</pre>
 */
public enum PromptMode {
    STDIN, ARGUMENT, FILE;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
