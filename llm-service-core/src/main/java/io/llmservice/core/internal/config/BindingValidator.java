package io.llmservice.core.internal.config;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.PredefinedScopeHibernateValidator;
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
 * came from. Thread-safe once built; each {@link ConfigLoader} builds one.
 *
 * <p>The factory is Hibernate Validator's predefined-scope one: the classes it validates and the
 * built-in constraints they use are named up front ({@link #BEANS}, {@link #CONSTRAINTS}), so the
 * bootstrap prepares those and does not load and register all of the some 200 built-in constraint
 * validators — the bulk of a command-line start-up's validation cost. A test keeps both sets
 * complete (a class or constraint left out would fail validation instead of being skipped).
 */
final class BindingValidator {
    /** Every class whose constraints are checked: the binding and its nested records. */
    static final Set<Class<?>> BEANS = Set.of(ConfigBinding.class, ConfigBinding.Model.class,
            ConfigBinding.Pricing.class, ConfigBinding.Tool.class, ConfigBinding.Output.class,
            ConfigBinding.Session.class, ConfigBinding.ModelUsage.class, ConfigBinding.Agent.class,
            ConfigBinding.Target.class, ConfigBinding.Policies.class, ConfigBinding.Routing.class,
            ConfigBinding.Budget.class, ConfigBinding.Limit.class, ConfigBinding.RateLimit.class,
            ConfigBinding.Telemetry.class);
    /** The built-in constraints {@link #BEANS} use. */
    static final Set<String> CONSTRAINTS = Set.of(NotNull.class.getName(), NotBlank.class.getName(),
            NotEmpty.class.getName(), Positive.class.getName(), PositiveOrZero.class.getName(),
            DecimalMin.class.getName(), DecimalMax.class.getName());

    private final Validator validator;

    BindingValidator() {
        // Built once per loader: the bootstrap (and its jboss-logging set-up) stays out of every load.
        ValidatorFactory factory = Validation.byProvider(PredefinedScopeHibernateValidator.class)
                .configure()
                .builtinConstraints(CONSTRAINTS)
                .initializeBeanMetaData(BEANS)
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
