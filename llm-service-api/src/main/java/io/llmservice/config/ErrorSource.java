package io.llmservice.config;

/**
 * A stream a tool may write its error report to ({@code errors.json_from} in YAML:
 * {@code stdout}, {@code stderr}).
 *
 * <pre>{@code
 * ErrorSpec errors = ErrorSpec.builder().jsonFrom(List.of(ErrorSource.STDOUT, ErrorSource.STDERR)).build();
 * }</pre>
 */
public enum ErrorSource {
    /** Standard output: the error fields are read from the output document itself. */
    STDOUT("stdout"),
    /** Standard error: the error fields are read from the last JSON document on it. */
    STDERR("stderr");

    private final String yamlName;

    ErrorSource(String yamlName) {
        this.yamlName = yamlName;
    }

    /** As written in YAML. */
    public String yamlName() {
        return yamlName;
    }
}
