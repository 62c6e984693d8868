package io.llmservice.core.internal.config;

import io.llmservice.ConfigSource;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and parses the files of a {@link ConfigSource}: one file holding the four sections, or
 * a directory holding {@code llm-service.yaml} or the split files {@code models.yaml},
 * {@code tools.yaml}, {@code agents.yaml}, {@code policies.yaml} (each optional, each holding
 * its own section under its section key). Stateless and thread-safe.
 */
final class ConfigLayout {
    static final String SINGLE_FILE = "llm-service.yaml";

    /** One parsed file and the sections it may hold. */
    record ParsedFile(String sourceName, Node root, List<String> allowedSections) {
    }

    private final YamlParser parser;

    ConfigLayout(YamlParser parser) {
        this.parser = parser;
    }

    /** The parsed files; problems are added for any that is missing, ambiguous or unreadable. */
    List<ParsedFile> read(ConfigSource source, Problems problems) {
        List<ParsedFile> files = new ArrayList<>();
        if (source instanceof ConfigSource.TextSource text) {
            parser.parseText(text.yaml(), text.name(), problems)
                    .ifPresent(root -> files.add(new ParsedFile(text.name(), root, Sections.ALL)));
            return files;
        }
        Path path = ((ConfigSource.PathSource) source).path();
        String name = path.toString();
        if (Files.isRegularFile(path)) {
            parse(path, name, Sections.ALL, problems, files);
        } else if (Files.isDirectory(path)) {
            readDirectory(path, problems, files);
        } else {
            problems.inSource(name, "", "no configuration file or directory at " + path.toAbsolutePath()
                    + "; create it (llm-service config init writes a starter) or pass the right path");
        }
        return files;
    }

    private void readDirectory(Path dir, Problems problems, List<ParsedFile> files) {
        Path single = dir.resolve(SINGLE_FILE);
        List<String> split = new ArrayList<>();
        for (String section : Sections.ALL) {
            if (Files.exists(dir.resolve(section + ".yaml"))) {
                split.add(section + ".yaml");
            }
        }
        boolean misnamed = false;
        for (String section : Sections.ALL) {
            Path yml = dir.resolve(section + ".yml");
            if (Files.exists(yml)) {
                problems.inSource(yml.toString(), "", "split files must end in .yaml; rename it to " + section
                        + ".yaml");
                misnamed = true;
            }
        }
        if (Files.exists(single) && !split.isEmpty()) {
            problems.inSource(dir.toString(), "", "ambiguous configuration: the directory holds both " + SINGLE_FILE
                    + " and " + String.join(", ", split) + "; keep either the single file or the split files");
            return;
        }
        if (Files.exists(single)) {
            parse(single, single.toString(), Sections.ALL, problems, files);
            return;
        }
        if (split.isEmpty()) {
            if (!misnamed) {
                problems.inSource(dir.toString(), "", "the directory holds no configuration; add " + SINGLE_FILE
                        + " or any of models.yaml, tools.yaml, agents.yaml, policies.yaml");
            }
            return;
        }
        for (String fileName : split) {
            Path file = dir.resolve(fileName);
            String section = fileName.substring(0, fileName.length() - ".yaml".length());
            parse(file, file.toString(), List.of(section), problems, files);
        }
    }

    private void parse(Path file, String name, List<String> allowed, Problems problems, List<ParsedFile> files) {
        if (!Files.isRegularFile(file)) {
            problems.inSource(name, "", "is not a regular file; point at a YAML file or a directory of them");
            return;
        }
        Optional<Node> root = parser.parseFile(file, name, problems);
        root.ifPresent(r -> files.add(new ParsedFile(name, r, allowed)));
    }

    /** Reads a class-path resource into bytes; empty when missing. */
    static Optional<byte[]> resource(Class<?> anchor, String name) {
        try (var in = anchor.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
