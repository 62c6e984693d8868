package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The four top-level sections of a configuration as YAML nodes, with each named entry's key
 * node kept for error positions. Mutable while files are collected and built-ins merged;
 * not thread-safe.
 */
final class Sections {
    static final String MODELS = "models";
    static final String TOOLS = "tools";
    static final String AGENTS = "agents";
    static final String POLICIES = "policies";
    static final List<String> ALL = List.of(MODELS, TOOLS, AGENTS, POLICIES);

    /** One named entry of a section: its key node and value node. */
    record Entry(Node key, Node value) {
    }

    final Map<String, Entry> models = new LinkedHashMap<>();
    final Map<String, Entry> tools = new LinkedHashMap<>();
    final Map<String, Entry> agents = new LinkedHashMap<>();
    private Node policies;

    Map<String, Entry> named(String section) {
        return switch (section) {
            case MODELS -> models;
            case TOOLS -> tools;
            case AGENTS -> agents;
            default -> throw new IllegalArgumentException(section);
        };
    }

    Optional<Node> policies() {
        return Optional.ofNullable(policies);
    }

    void policies(Node node) {
        policies = node;
    }

    /**
     * Adds the sections of one file's root mapping. {@code allowed} is every section for a
     * single file, or the one section a split file may hold.
     */
    void collect(Node root, List<String> allowed, String fileName, NodeReader reader) {
        Problems problems = reader.problems();
        if (!(root instanceof org.snakeyaml.engine.v2.nodes.MappingNode)) {
            problems.at(root, "", "the top level must be a mapping of sections (" + String.join(", ", allowed)
                    + "), not " + NodeReader.describe(root) + "; start the file with e.g. \"" + allowed.get(0) + ":\"");
            return;
        }
        Map<String, Node> top = reader.entries(root, "", "a mapping of sections (" + String.join(", ", ALL) + ")");
        if (top == null) {
            return;
        }
        for (Map.Entry<String, Node> section : top.entrySet()) {
            String name = section.getKey();
            Node keyNode = reader.keyAt(name).orElse(root);
            if (!allowed.contains(name)) {
                if (ALL.contains(name)) {
                    problems.at(keyNode, name, fileName + " may hold only the '" + allowed.get(0)
                            + "' section; move '" + name + "' to " + name + ".yaml");
                } else {
                    problems.at(keyNode, name, NodeReader.unknownKey("section", name, ALL));
                }
                continue;
            }
            Node value = section.getValue();
            if (NodeReader.isNull(value)) {
                continue;   // an empty section, e.g. everything under it commented out
            }
            if (name.equals(POLICIES)) {
                policies = value;
                continue;
            }
            Map<String, Node> entries = reader.entries(value, name, "a mapping of names to definitions");
            if (entries == null) {
                continue;
            }
            Map<String, Entry> target = named(name);
            entries.forEach((entryName, entryValue) -> target.put(entryName,
                    new Entry(reader.keyAt(NodeReader.child(name, entryName)).orElse(entryValue), entryValue)));
        }
    }
}
