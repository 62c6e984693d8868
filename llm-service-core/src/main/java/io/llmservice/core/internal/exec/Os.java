package io.llmservice.core.internal.exec;

import io.llmservice.config.OsFamily;

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

    /** The family of the running JVM; see {@link OsFamily#current()}. */
    public static OsFamily current() {
        return OsFamily.current();
    }

    /** See {@link OsFamily#fromOsName(String)}. */
    public static OsFamily fromOsName(String osName) {
        return OsFamily.fromOsName(osName);
    }
}
