package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads typed values out of YAML nodes, reporting a positioned problem for every value of the
 * wrong shape, and remembers which node each YAML path came from (so that later stages can
 * point at it). Scalar text is expanded with {@link EnvExpander} before it is converted.
 * Every method returns {@code null} when the value is unusable; the problem has then been
 * added. Not thread-safe: one instance per load.
 */
final class NodeReader {
    private final Problems problems;
    private final EnvExpander env;
    private final Map<String, Node> valueNodes = new HashMap<>();
    private final Map<String, Node> keyNodes = new HashMap<>();

    NodeReader(Problems problems, EnvExpander env) {
        this.problems = problems;
        this.env = env;
    }

    Problems problems() {
        return problems;
    }

    /** The YAML path of a mapping entry: {@code parent.key}. */
    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    /** YAML 1.2 core schema spellings of null. */
    static boolean isNullText(String value) {
        return value.isEmpty() || value.equals("~") || value.equals("null") || value.equals("Null")
                || value.equals("NULL");
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.isPlain() && isNullText(s.getValue());
    }

    // ---- positions --------------------------------------------------------------------

    void record(String path, Node node) {
        valueNodes.put(path, node);
    }

    void recordKey(String path, Node keyNode) {
        keyNodes.put(path, keyNode);
    }

    /** Whether exactly this path was read. */
    boolean recorded(String path) {
        return valueNodes.containsKey(path);
    }

    /** The node of a path, or of its nearest recorded ancestor (a missing key points at its mapping). */
    Optional<Node> nodeAt(String path) {
        String p = path;
        while (true) {
            Node node = valueNodes.get(p);
            if (node != null) {
                return Optional.of(node);
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return Optional.empty();
            }
            p = p.substring(0, cut);
        }
    }

    /** The key node of a mapping entry's path, else its value node. */
    Optional<Node> keyAt(String path) {
        Node key = keyNodes.get(path);
        return key != null ? Optional.of(key) : nodeAt(path);
    }

    // ---- collections ------------------------------------------------------------------

    /** A mapping with a fixed set of keys; unknown keys are reported with a "did you mean". */
    MappingView mapping(Node node, String path, List<String> allowedKeys) {
        Map<String, Node> entries = entries(node, path, "a mapping");
        if (entries == null) {
            return null;
        }
        Map<String, Node> known = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            if (allowedKeys.contains(e.getKey())) {
                known.put(e.getKey(), e.getValue());
            } else {
                Node keyNode = keyNodes.get(child(path, e.getKey()));
                problems.at(keyNode, child(path, e.getKey()), unknownKey("key", e.getKey(), allowedKeys));
            }
        }
        return new MappingView(this, path, known);
    }

    static String unknownKey(String noun, String key, List<String> allowed) {
        String hint = Suggestions.didYouMean(key, allowed);
        if (!hint.isEmpty()) {
            return "unknown " + noun + " '" + key + "'" + hint;
        }
        return "unknown " + noun + " '" + key + "'; remove it or use one of: " + String.join(", ", allowed);
    }

    /** A mapping whose keys are names (models, tools, env entries): key to value node, in order. */
    Map<String, Node> entries(Node node, String path, String expected) {
        record(path, node);
        if (!(node instanceof MappingNode mapping)) {
            problems.at(node, path, "must be " + expected + " (was " + describe(node) + ")");
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();  // YamlParser checked: keys are scalars
            String childPath = child(path, key);
            recordKey(childPath, tuple.getKeyNode());
            record(childPath, tuple.getValueNode());
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    /** The elements of a list. */
    List<Node> list(Node node, String path) {
        record(path, node);
        if (!(node instanceof SequenceNode sequence)) {
            problems.at(node, path, "must be a list (was " + describe(node) + ")");
            return null;
        }
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            record(path + "[" + i + "]", items.get(i));
        }
        return items;
    }

    /** A list of text values. */
    List<String> textList(Node node, String path) {
        List<Node> items = list(node, path);
        if (items == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String value = text(items.get(i), path + "[" + i + "]");
            ok &= value != null;
            values.add(value);
        }
        return ok ? values : null;
    }

    /** One text value or a list of them. */
    List<String> textOrList(Node node, String path) {
        if (node instanceof SequenceNode) {
            return textList(node, path);
        }
        String value = text(node, path);
        return value == null ? null : List.of(value);
    }

    /** A mapping of names to text values, with entries whose value expands to "" optionally left out. */
    Map<String, String> textMap(Node node, String path, boolean dropEmpty) {
        Map<String, Node> entries = entries(node, path, "a mapping of names to text");
        if (entries == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Node> e : entries.entrySet()) {
            String value = text(e.getValue(), child(path, e.getKey()));
            ok &= value != null;
            if (value != null && !(dropEmpty && value.isEmpty())) {
                values.put(e.getKey(), value);
            }
        }
        return ok ? values : null;
    }

    // ---- scalars ----------------------------------------------------------------------

    /** Text, expanded. */
    String text(Node node, String path) {
        return scalar(node, path, "text");
    }

    Long wholeNumber(Node node, String path) {
        String text = scalar(node, path, "a whole number");
        if (text == null) {
            return null;
        }
        if (text.matches("[-+]?[0-9]{1,18}")) {
            return Long.parseLong(text);
        }
        return invalid(node, path, "must be a whole number", text);
    }

    BigDecimal number(Node node, String path) {
        String text = scalar(node, path, "a number");
        if (text == null) {
            return null;
        }
        if (text.matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?")) {
            return new BigDecimal(text);
        }
        return invalid(node, path, "must be a number", text);
    }

    Boolean bool(Node node, String path) {
        String text = scalar(node, path, "true or false");
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> invalid(node, path, "must be true or false", text);
        };
    }

    Duration duration(Node node, String path) {
        String text = scalar(node, path, "a positive duration like 90s or 10m");
        if (text == null) {
            return null;
        }
        Optional<Duration> duration = DurationParser.parse(text);
        return duration.isPresent() ? duration.get()
                : invalid(node, path, "must be a positive duration like 90s or 10m", text);
    }

    LocalDate date(Node node, String path) {
        String text = scalar(node, path, "a date like 2025-11-24");
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            return invalid(node, path, "must be a date like 2025-11-24", text);
        }
    }

    ZoneId zone(Node node, String path) {
        String text = scalar(node, path, "a time-zone id like UTC or Europe/Berlin");
        if (text == null) {
            return null;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            return invalid(node, path, "must be a time-zone id like UTC or Europe/Berlin", text);
        }
    }

    /** One of an enum's YAML names. */
    <E extends Enum<E>> E choice(Node node, String path, E[] values, Function<E, String> yamlName) {
        List<String> names = Arrays.stream(values).map(yamlName).collect(Collectors.toList());
        String expected = "one of " + String.join(", ", names);
        String text = scalar(node, path, expected);
        if (text == null) {
            return null;
        }
        for (E value : values) {
            if (yamlName.apply(value).equals(text)) {
                return value;
            }
        }
        problems.at(node, path, "must be " + expected + " (was \"" + text + "\")" + Suggestions.didYouMean(text, names));
        return null;
    }

    private String scalar(Node node, String path, String expected) {
        record(path, node);
        if (!(node instanceof ScalarNode scalar)) {
            problems.at(node, path, "must be " + expected + " (was " + describe(node) + ")");
            return null;
        }
        if (isNull(scalar)) {
            problems.at(node, path, "has no value; give " + expected + " or remove the key");
            return null;
        }
        return env.expand(scalar.getValue(), node, path, problems);
    }

    private <T> T invalid(Node node, String path, String message, String text) {
        problems.at(node, path, message + " (was \"" + text + "\")");
        return null;
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "empty";
        }
        return "\"" + ((ScalarNode) node).getValue() + "\"";
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
