package io.llmservice.core.internal.config;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.snakeyaml.engine.v2.nodes.Node;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the constraints declared on {@link ConfigBinding} with Hibernate Validator (messages
 * interpolated by {@link ParameterMessageInterpolator}, so no Expression Language
 * implementation is needed) and turns each violation into a problem at the YAML node the value
 * came from. Thread-safe once built; build one per {@link ConfigLoader}.
 */
final class BindingValidator {
    private final Validator validator;

    BindingValidator() {
        // The validator bootstrap logs through jboss-logging; building it once per loader keeps
        // that cost (tens of milliseconds) out of every load.
        ValidatorFactory factory = Validation.byProvider(HibernateValidator.class)
                .configure()
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factory.getValidator();
    }

    void validate(ConfigBinding binding, NodeReader reader, Problems problems) {
        Set<ConstraintViolation<ConfigBinding>> violations = validator.validate(binding);
        List<ConstraintViolation<ConfigBinding>> ordered = violations.stream()
                .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .collect(Collectors.toList());
        for (ConstraintViolation<ConfigBinding> violation : ordered) {
            String path = yamlPath(violation.getPropertyPath());
            if (problems.reportedAtOrAbove(path)) {
                continue;   // the value was unusable and already has a problem
            }
            Optional<Node> node = reader.nodeAt(path);
            String message = violation.getMessage();
            Object invalid = violation.getInvalidValue();
            if (invalid != null && !message.startsWith("is required") && !message.startsWith("must list")
                    && !message.startsWith("must not be empty")) {
                message += " (was " + render(invalid) + ")";
            }
            if (node.isPresent()) {
                problems.at(node.get(), path, message);
            } else {
                problems.at(Optional.empty(), path, message);
            }
        }
    }

    private static String render(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return "\"" + value + "\"";
    }

    /** {@code policies.budgets[0].limit.usd} from Hibernate Validator's {@code policies.budgets[0].limit.usd}. */
    static String yamlPath(Path propertyPath) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : propertyPath) {
            if (node.isInIterable()) {
                if (node.getKey() != null) {
                    sb.append('.').append(node.getKey());
                } else if (node.getIndex() != null) {
                    sb.append('[').append(node.getIndex()).append(']');
                }
            }
            String name = node.getName();
            if (name != null && !name.startsWith("<")) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(snakeCase(name));
            }
        }
        return sb.toString();
    }

    static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
