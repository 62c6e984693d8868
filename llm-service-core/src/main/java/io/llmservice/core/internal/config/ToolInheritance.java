package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the user's tools over the built-in ones. A user tool replaces a built-in of the same
 * name entirely, unless it writes {@code extends: <name>}: then it is merged over that tool —
 * mappings merge key by key (recursively), lists and scalars replace, except
 * {@code args_prepend} and {@code args_append}, which add the tool's items after the base's, so
 * a tool extends the base's argv without restating it. {@code extends} names
 * another user tool, or a built-in one; a tool that extends its own name extends the built-in
 * of that name. The merge works on YAML nodes, so every value keeps the position of the file
 * it came from. Not thread-safe: one instance per load.
 */
final class ToolInheritance {
    static final String EXTENDS = "extends";
    static final String ARGS_PREPEND = "args_prepend";
    static final String ARGS_APPEND = "args_append";
    /** Lists that a tool's {@code extends} adds to, the base's items first, instead of replacing. */
    private static final Set<String> ADDED_LISTS = Set.of(ARGS_PREPEND, ARGS_APPEND);

    private final Map<String, Sections.Entry> builtins;
    private final Map<String, Sections.Entry> users;
    private final Problems problems;
    private final Map<String, Node> resolved = new HashMap<>();
    private final Set<String> failed = new java.util.HashSet<>();

    ToolInheritance(Map<String, Sections.Entry> builtins, Map<String, Sections.Entry> users, Problems problems) {
        this.builtins = builtins;
        this.users = users;
        this.problems = problems;
    }

    /** Built-in tools in catalogue order, then the user's new ones; each user tool resolved. */
    Map<String, Sections.Entry> merged() {
        Map<String, Sections.Entry> result = new LinkedHashMap<>(builtins);
        for (Map.Entry<String, Sections.Entry> user : users.entrySet()) {
            List<String> chain = new ArrayList<>();
            Node node = resolve(user.getKey(), chain);
            result.put(user.getKey(), new Sections.Entry(user.getValue().key(), node));
        }
        return result;
    }

    private Node resolve(String name, List<String> chain) {
        Node cached = resolved.get(name);
        if (cached != null) {
            return cached;
        }
        Node node = users.get(name).value();
        if (!(node instanceof MappingNode mapping)) {
            return node;   // the binder reports "must be a mapping"
        }
        NodeTuple extendsTuple = null;
        for (NodeTuple tuple : mapping.getValue()) {
            if (EXTENDS.equals(((ScalarNode) tuple.getKeyNode()).getValue())) {
                extendsTuple = tuple;
            }
        }
        if (extendsTuple == null) {
            resolved.put(name, node);
            return node;
        }
        MappingNode own = without(mapping, EXTENDS);
        String path = "tools." + name + "." + EXTENDS;
        Node extendsValue = extendsTuple.getValueNode();
        if (!(extendsValue instanceof ScalarNode scalar) || NodeReader.isNull(scalar)) {
            problems.at(extendsValue, path, "must be the name of the tool to extend (was "
                    + NodeReader.describe(extendsValue) + ")");
            return failed(name, own);
        }
        String base = scalar.getValue();
        Node baseNode;
        chain.add(name);
        if (base.equals(name)) {
            Sections.Entry builtin = builtins.get(name);
            if (builtin == null) {
                problems.at(extendsValue, path, "tool '" + name + "' extends itself, but there is no built-in tool '"
                        + name + "'; built-in tools are: " + String.join(", ", builtins.keySet()));
                return failed(name, own);
            }
            baseNode = builtin.value();
        } else if (users.containsKey(base)) {
            if (chain.contains(base)) {
                List<String> cycle = new ArrayList<>(chain.subList(chain.indexOf(base), chain.size()));
                cycle.add(base);
                problems.at(extendsValue, path, "extends cycle " + String.join(" -> ", cycle)
                        + "; remove one of these extends");
                return failed(name, own);
            }
            baseNode = resolve(base, chain);
            if (failed.contains(base)) {
                failed(name, own);
            }
        } else if (builtins.containsKey(base)) {
            baseNode = builtins.get(base).value();
        } else {
            Set<String> names = new LinkedHashSet<>(builtins.keySet());
            names.addAll(users.keySet());
            names.remove(name);
            problems.at(extendsValue, path, CrossReferenceChecker.unknown("tool", base, names,
                    "extend one of: " + String.join(", ", names)));
            return failed(name, own);
        }
        Node merged = merge(baseNode, own);
        if (merged instanceof MappingNode mergedMap && baseNode instanceof MappingNode baseMap) {
            merged = addLists(baseMap, mergedMap);
        }
        resolved.put(name, merged);
        return merged;
    }

    /**
     * A tool whose {@code extends} could not be resolved: its other values are incomplete, so
     * later checks of it would only report consequences of the one real problem.
     */
    private Node failed(String name, Node own) {
        failed.add(name);
        problems.markReported("tools." + name);
        return own;
    }

    /** {@code override} over {@code base}: mappings key by key, anything else replaced. */
    static Node merge(Node base, Node override) {
        if (!(base instanceof MappingNode baseMap) || !(override instanceof MappingNode overrideMap)) {
            return override;
        }
        Map<String, NodeTuple> overrides = new LinkedHashMap<>();
        for (NodeTuple tuple : overrideMap.getValue()) {
            overrides.put(key(tuple), tuple);
        }
        List<NodeTuple> tuples = new ArrayList<>();
        for (NodeTuple tuple : baseMap.getValue()) {
            NodeTuple replacement = overrides.remove(key(tuple));
            if (replacement == null) {
                tuples.add(tuple);
            } else {
                tuples.add(new NodeTuple(replacement.getKeyNode(),
                        merge(tuple.getValueNode(), replacement.getValueNode())));
            }
        }
        tuples.addAll(overrides.values());
        return new MappingNode(Tag.MAP, true, tuples, overrideMap.getFlowStyle(), overrideMap.getStartMark(),
                overrideMap.getEndMark());
    }

    /** {@code merged} with each of {@link #ADDED_LISTS} the base's items followed by the tool's. */
    private static MappingNode addLists(MappingNode base, MappingNode merged) {
        Map<String, Node> baseLists = new HashMap<>();
        for (NodeTuple tuple : base.getValue()) {
            if (ADDED_LISTS.contains(key(tuple)) && tuple.getValueNode() instanceof SequenceNode) {
                baseLists.put(key(tuple), tuple.getValueNode());
            }
        }
        List<NodeTuple> tuples = new ArrayList<>();
        for (NodeTuple tuple : merged.getValue()) {
            Node baseList = baseLists.get(key(tuple));
            if (baseList instanceof SequenceNode baseSeq && tuple.getValueNode() instanceof SequenceNode own
                    && baseSeq != own) {
                List<Node> items = new ArrayList<>(baseSeq.getValue());
                items.addAll(own.getValue());
                tuples.add(new NodeTuple(tuple.getKeyNode(), new SequenceNode(Tag.SEQ, true, items,
                        own.getFlowStyle(), own.getStartMark(), own.getEndMark())));
            } else {
                tuples.add(tuple);
            }
        }
        return new MappingNode(Tag.MAP, true, tuples, merged.getFlowStyle(), merged.getStartMark(),
                merged.getEndMark());
    }

    private static MappingNode without(MappingNode mapping, String key) {
        List<NodeTuple> tuples = new ArrayList<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!key.equals(key(tuple))) {
                tuples.add(tuple);
            }
        }
        return new MappingNode(Tag.MAP, true, tuples, mapping.getFlowStyle(), mapping.getStartMark(),
                mapping.getEndMark());
    }

    private static String key(NodeTuple tuple) {
        return ((ScalarNode) tuple.getKeyNode()).getValue();
    }
}
