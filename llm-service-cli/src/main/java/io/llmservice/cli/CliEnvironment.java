package io.llmservice.cli;

import io.llmservice.config.DefaultLocations;
import io.llmservice.config.OsFamily;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the command line reads from the outside world: environment variables, the working and
 * home directories, the standard streams and whether a person is watching. Injected into every
 * command so the lookup rules and the output are unit-tested without touching the real process.
 *
 * <pre>{@code
 * CliEnvironment env = CliEnvironment.system();             // the real process
 * CliEnvironment test = new CliEnvironment(Map.of("HOME", home.toString()), cwd, home,
 *         InputStream.nullInputStream(), out, err, false);   // a test
 * }</pre>
 *
 * <p>Immutable; the streams are shared, not copied.
 *
 * @param variables        the environment variables
 * @param workingDirectory absolute working directory
 * @param home             the user's home directory
 * @param stdin            standard input (bytes, never decoded with the platform charset)
 * @param out              standard output, UTF-8
 * @param err              standard error, UTF-8
 * @param terminal         whether a person is at a terminal ({@code System.console() != null})
 */
public record CliEnvironment(Map<String, String> variables, Path workingDirectory, Path home, InputStream stdin,
                             PrintStream out, PrintStream err, boolean terminal) {

    public CliEnvironment {
        variables = Map.copyOf(variables);
        workingDirectory = workingDirectory.toAbsolutePath();
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /**
     * The running process. Output is UTF-8 whatever the locale: Java 17 would otherwise encode
     * stdout in the platform charset and turn a model's non-ASCII answer into question marks
     * under a C locale.
     */
    static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(env, Path.of("").toAbsolutePath(), homeOf(env, System.getProperty("user.home")),
                System.in,
                new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                System.console() != null);
    }

    /**
     * {@code $HOME} when set (what shells and git use, and what a user overrides), else the JVM's
     * {@code user.home}, which Java takes from the password database rather than the environment.
     */
    static Path homeOf(Map<String, String> env, String userHome) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : userHome);
    }

    /**
     * The platform's configuration and data directories for these variables, with
     * {@link #home()} as the home when the environment names none.
     */
    public DefaultLocations locations() {
        return DefaultLocations.of(OsFamily.current(), variables, home);
    }

    /** A variable's value, empty strings counting as unset. */
    public java.util.Optional<String> variable(String name) {
        String v = variables.get(name);
        return v == null || v.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(v);
    }

    /** ANSI escapes are allowed: a terminal, and {@code NO_COLOR} unset (https://no-color.org). */
    public boolean color() {
        return terminal && variable("NO_COLOR").isEmpty();
    }
}
