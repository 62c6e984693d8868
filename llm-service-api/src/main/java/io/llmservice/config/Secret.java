package io.llmservice.config;

import java.util.Objects;

/**
 * A secret taken from the configuration, such as {@code policies.telemetry.password}: the value is
 * read only through {@link #reveal()}, and {@link #toString()} never shows it, so a secret inside a
 * record or a log line prints as {@code ****}. The name of the environment variable it came from is
 * not secret and is kept for messages.
 *
 * <pre>{@code
 * Secret password = Secret.fromVariable("PGPASSWORD", System.getenv("PGPASSWORD"));
 * dataSource.setPassword(password.reveal());   // only where the value is really needed
 * log.info("password {}", password);           // logs "password ****"
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Secret {
    private final String variable;
    private final String value;

    private Secret(String variable, String value) {
        this.variable = Objects.requireNonNull(variable, "variable");
        this.value = Objects.requireNonNull(value, "value");
    }

    /**
     * A secret read from the environment variable {@code variable}.
     *
     * @param variable the variable's name, e.g. {@code PGPASSWORD} (letters, digits and {@code _})
     * @param value    its value
     */
    public static Secret fromVariable(String variable, String value) {
        if (!Objects.requireNonNull(variable, "variable").matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: \"" + variable
                    + "\"; use letters, digits and _");
        }
        return new Secret(variable, value);
    }

    /** The secret value itself. Pass it on to what needs it; never print or store it. */
    public String reveal() {
        return value;
    }

    /** The environment variable the value came from, e.g. {@code PGPASSWORD}. */
    public String variable() {
        return variable;
    }

    /** Equal when both the variable and the value are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.variable.equals(variable) && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(variable, value);
    }

    /** Always {@code ****}: the value never reaches a log line or a message through this. */
    @Override
    public String toString() {
        return "****";
    }
}
