package io.llmservice;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a configuration comes from: a YAML file, a directory of split files
 * ({@code agents.yaml}, {@code tools.yaml}, {@code models.yaml}, {@code policies.yaml}), or
 * YAML text with a name used in error messages.
 *
 * <pre>{@code
 * ConfigSource.path(Path.of("llm-service.yaml"));
 * ConfigSource.text("inline.yaml", "agents: {...}");
 * }</pre>
 */
public sealed interface ConfigSource {

    /** A YAML file, or a directory of split files. */
    static ConfigSource path(Path path) {
        return new PathSource(path);
    }

    /** YAML text; {@code name} stands for the file in error messages. */
    static ConfigSource text(String name, String yaml) {
        return new TextSource(name, yaml);
    }

    /** A file or a directory. */
    record PathSource(Path path) implements ConfigSource {
        public PathSource {
            Objects.requireNonNull(path, "path");
        }
    }

    /** In-memory YAML text. */
    record TextSource(String name, String yaml) implements ConfigSource {
        public TextSource {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(yaml, "yaml");
        }

        @Override
        public String toString() {
            return "TextSource[" + name + ", " + yaml.length() + " chars]";
        }
    }
}
