package io.llmservice.config;

import java.util.Locale;

/**
 * Operating-system family, the key of {@code binary_by_os}.
 *
 * <pre>{@code
 * // tools: {acme: {binary: acme, binary_by_os: {windows: acme.exe}, ...}}
 * String binary = llm.config().tool("acme").orElseThrow().binaryFor(OsFamily.WINDOWS);   // "acme.exe"
 * }</pre>
 */
public enum OsFamily {
    LINUX, MACOS, WINDOWS;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
