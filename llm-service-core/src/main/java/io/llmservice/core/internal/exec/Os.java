package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;

import java.util.Locale;

/**
 * Detects the {@link OsFamily} the JVM runs on.
 *
 * <pre>{@code
 * BinaryResolver resolver = new BinaryResolver(Os.current(), System.getenv(), BinaryResolver::isExecutableFile);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class Os {

    private Os() {
    }

    /** The family of the running JVM, from the {@code os.name} system property. */
    public static OsFamily current() {
        return fromOsName(System.getProperty("os.name", ""));
    }

    /**
     * Maps an {@code os.name} value to a family: names starting with "Windows" are
     * {@link OsFamily#WINDOWS}, "Mac OS X" / "Darwin" are {@link OsFamily#MACOS}, and every other
     * (Linux, the BSDs, AIX...) is treated as {@link OsFamily#LINUX}, the POSIX rules.
     */
    public static OsFamily fromOsName(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return OsFamily.WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return OsFamily.MACOS;
        }
        return OsFamily.LINUX;
    }
}
