package io.llmservice.config;

import java.util.Locale;

/** How a tool receives the prompt: on standard input (default), as one argv element through the {@code {prompt}} placeholder, or as a temporary file through {@code {prompt_file}}. */
public enum PromptMode {
    STDIN, ARGUMENT, FILE;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
