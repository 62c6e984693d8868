package io.llmservice;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Test helper: the names of the components in which two records of one type are equal. A
 * round-trip test through {@code toBuilder()} is only worth something when its sample differs
 * from the builder's defaults in every component; this tells which ones do not.
 */
public final class RecordComponents {
    private RecordComponents() {
    }

    /** The components whose values are equal in {@code a} and {@code b}. */
    public static <R extends Record> List<String> equalIn(R a, R b) {
        List<String> same = new ArrayList<>();
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            try {
                if (Objects.equals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) {
                    same.add(c.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return same;
    }
}
