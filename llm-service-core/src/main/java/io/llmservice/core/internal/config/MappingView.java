package io.llmservice.core.internal.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The known entries of one YAML mapping, read through its {@link NodeReader}. Each getter
 * returns {@code null} when the key is absent or its value unusable (a problem was then
 * added); the {@code ...Or} forms return a default only when the key is absent.
 */
final class MappingView {
    private final NodeReader reader;
    private final String path;
    private final Map<String, Node> entries;

    MappingView(NodeReader reader, String path, Map<String, Node> entries) {
        this.reader = reader;
        this.path = path;
        this.entries = entries;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return NodeReader.child(path, key);
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Optional<Node> node(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    private <T> T read(String key, T absent, Reader<T> read) {
        Node node = entries.get(key);
        return node == null ? absent : read.apply(node, path(key));
    }

    @FunctionalInterface
    private interface Reader<T> {
        T apply(Node node, String path);
    }

    String text(String key) {
        return read(key, null, reader::text);
    }

    String textOr(String key, String absent) {
        return read(key, absent, reader::text);
    }

    Long wholeNumberOr(String key, Long absent) {
        return read(key, absent, reader::wholeNumber);
    }

    BigDecimal number(String key) {
        return read(key, null, reader::number);
    }

    BigDecimal numberOr(String key, BigDecimal absent) {
        return read(key, absent, reader::number);
    }

    Boolean boolOr(String key, Boolean absent) {
        return read(key, absent, reader::bool);
    }

    Duration durationOr(String key, Duration absent) {
        return read(key, absent, reader::duration);
    }

    LocalDate date(String key) {
        return read(key, null, reader::date);
    }

    ZoneId zoneOr(String key, ZoneId absent) {
        return read(key, absent, reader::zone);
    }

    <E extends Enum<E>> E choiceOr(String key, E[] values, Function<E, String> yamlName, E absent) {
        return read(key, absent, (n, p) -> reader.choice(n, p, values, yamlName));
    }

    List<String> textListOr(String key, List<String> absent) {
        return read(key, absent, reader::textList);
    }

    List<String> textOrList(String key) {
        return read(key, null, reader::textOrList);
    }

    Map<String, String> textMapOr(String key, Map<String, String> absent, boolean dropEmpty) {
        return read(key, absent, (n, p) -> reader.textMap(n, p, dropEmpty));
    }

    MappingView mapping(String key, List<String> allowedKeys) {
        return read(key, null, (n, p) -> reader.mapping(n, p, allowedKeys));
    }

    Map<String, Node> entries(String key) {
        return read(key, null, (n, p) -> reader.entries(n, p, "a mapping"));
    }

    List<Node> list(String key) {
        return read(key, null, reader::list);
    }
}
