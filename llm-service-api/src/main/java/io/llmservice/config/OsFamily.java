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

    /** The family of the running JVM, from the {@code os.name} system property. */
    public static OsFamily current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    /**
     * Maps an {@code os.name} value to a family: names starting with "Windows" are
     * {@link #WINDOWS}, "Mac OS X" / "Darwin" are {@link #MACOS}, and every other (Linux, the
     * BSDs, AIX...) is treated as {@link #LINUX}, the POSIX rules.
     */
    public static OsFamily fromOsName(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MACOS;
        }
        return LINUX;
    }

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
