package io.llmservice.config;

import java.util.Locale;

/**
 * What telemetry stores: {@code metadata} (default; no prompt or response text) or {@code full} (text with secrets redacted).
 *
 * <pre>{@code
 * // policies: {telemetry: {store: h2, privacy: full}}
 * boolean keepsText = llm.config().policies().telemetry().privacy() == Privacy.FULL;
 * }</pre>
 */
public enum Privacy {
    METADATA, FULL;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
