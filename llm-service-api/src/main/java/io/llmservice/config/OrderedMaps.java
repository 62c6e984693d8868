package io.llmservice.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Ordered immutable copies; {@code Map.copyOf} would lose the order users wrote. */
final class OrderedMaps {
    private OrderedMaps() {
    }

    static <K, V> Map<K, V> orderedCopy(Map<K, V> map) {
        LinkedHashMap<K, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(java.util.Objects.requireNonNull(k), java.util.Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }
}
