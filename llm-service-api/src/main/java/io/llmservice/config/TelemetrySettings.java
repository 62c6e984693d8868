package io.llmservice.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code policies.telemetry}: which store records invocations, where, and how much it keeps.
 *
 * <pre>{@code
 * TelemetrySettings t = llm.config().policies().telemetry();
 * System.out.println(t.store() + " store at " + t.path() + ", privacy " + t.privacy().yamlName());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param store   the telemetry store provider's type ({@code memory} built in, {@code h2} in its module)
 * @param path    where a file-based store keeps its data ({@code ~} already expanded)
 * @param privacy metadata only (default), or full text with secrets redacted
 */
public record TelemetrySettings(String store, Path path, Privacy privacy) {
    public TelemetrySettings {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(privacy, "privacy");
    }
}
