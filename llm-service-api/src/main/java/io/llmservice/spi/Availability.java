package io.llmservice.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a tool can run here, and why not.
 *
 * <pre>{@code
 * public Availability availability() {
 *     Path bin = Path.of("/opt/acme/bin/acme");
 *     return Files.isExecutable(bin) ? Availability.installedAt(bin) : Availability.missing("'acme' not found at " + bin);
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param installed    true when the binary (or service) was found
 * @param resolvedPath the binary that would run, when found
 * @param detail       a short explanation, e.g. {@code "'codex' not found on PATH"}
 */
public record Availability(boolean installed, Optional<Path> resolvedPath, String detail) {
    public Availability {
        Objects.requireNonNull(resolvedPath, "resolvedPath");
        Objects.requireNonNull(detail, "detail");
    }

    public static Availability installedAt(Path path) {
        return new Availability(true, Optional.of(path), "found at " + path);
    }

    public static Availability available(String detail) {
        return new Availability(true, Optional.empty(), detail);
    }

    public static Availability missing(String detail) {
        return new Availability(false, Optional.empty(), detail);
    }
}
