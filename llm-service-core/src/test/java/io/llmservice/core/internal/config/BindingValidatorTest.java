package io.llmservice.core.internal.config;

import jakarta.validation.Constraint;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The predefined-scope validator only knows the classes and built-in constraints it was told
 * about: these tests keep both lists complete as the binding records change.
 */
class BindingValidatorTest {

    @Test
    void beans_areTheBindingAndEveryRecordNestedInIt() {
        Set<Class<?>> records = Arrays.stream(ConfigBinding.class.getDeclaredClasses())
                .filter(Class::isRecord).collect(Collectors.toSet());
        records.add(ConfigBinding.class);

        assertThat(BindingValidator.BEANS).containsExactlyInAnyOrderElementsOf(records);
    }

    @Test
    void constraints_areExactlyTheConstraintsTheBeansUse() {
        Set<String> used = new HashSet<>();
        for (Class<?> bean : BindingValidator.BEANS) {
            for (RecordComponent component : bean.getRecordComponents()) {
                collect(component.getAnnotations(), used);
                collect(component.getAnnotatedType(), used);
            }
        }

        assertThat(used).isNotEmpty();
        assertThat(BindingValidator.CONSTRAINTS).containsExactlyInAnyOrderElementsOf(used);
    }

    private static void collect(AnnotatedType type, Set<String> used) {
        collect(type.getAnnotations(), used);
        if (type instanceof AnnotatedParameterizedType p) {
            for (AnnotatedType argument : p.getAnnotatedActualTypeArguments()) {
                collect(argument, used);
            }
        }
    }

    private static void collect(Annotation[] annotations, Set<String> used) {
        for (Annotation a : annotations) {
            if (a.annotationType().isAnnotationPresent(Constraint.class)) {
                used.add(a.annotationType().getName());
            }
        }
    }
}
