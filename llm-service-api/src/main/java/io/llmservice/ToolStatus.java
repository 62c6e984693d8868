package io.llmservice;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether one configured tool can run here: the binary it would run, the version it reports and,
 * when it cannot run, why not. From {@link LlmService#tools()}.
 *
 * <pre>{@code
 * for (ToolStatus t : llm.tools()) {
 *     System.out.println(t.name() + ": " + (t.available()
 *             ? t.binary().map(Path::toString).orElse("in-process") + " " + t.version().orElse("(version unknown)")
 *             : "not available: " + t.detail()));
 * }
 * }</pre>
 *
 * <p>Made with {@link #builder(String)}, so that parts added later break no caller. Immutable.
 *
 * @param name      the tool's name in the configuration, e.g. {@code claude-code}
 * @param available whether the tool can run here (for a command-line tool: its binary was found)
 * @param binary    the executable file that would run, when one was found
 * @param version   the first line the tool printed for its {@code version_args}, when it printed one in time
 * @param detail    where the binary was found, or why the tool is not available (where it was looked
 *                  for), and why no version is known when the probe failed
 */
public record ToolStatus(String name, boolean available, Optional<Path> binary, Optional<String> version,
                         String detail) {
    public ToolStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(binary, "binary");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(detail, "detail");
    }

    /** A builder for the status of tool {@code name}: not available, no binary, no version, empty detail. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Builds {@link ToolStatus}es. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private boolean available;
        private Path binary;
        private String version;
        private String detail = "";

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public Builder available(boolean available) {
            this.available = available;
            return this;
        }

        public Builder binary(Path binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        public Builder version(String version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder detail(String detail) {
            this.detail = Objects.requireNonNull(detail, "detail");
            return this;
        }

        public ToolStatus build() {
            return new ToolStatus(name, available, Optional.ofNullable(binary), Optional.ofNullable(version), detail);
        }
    }
}
