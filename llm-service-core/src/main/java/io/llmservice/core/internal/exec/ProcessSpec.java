package io.llmservice.core.internal.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What to run: the argument vector, the complete child environment, the working directory, the
 * bytes for stdin, the timeout and the per-stream output cap.
 *
 * <pre>{@code
 * ProcessSpec spec = ProcessSpec.builder(List.of(binary.toString(), "-p", "--output-format", "json"))
 *         .environment(ChildEnvironment.build(Os.current(), System.getenv(), toolEnv))
 *         .stdin(prompt.getBytes(StandardCharsets.UTF_8))
 *         .timeout(Duration.ofMinutes(10))
 *         .build();
 * }</pre>
 *
 * <p>Each element of {@code command} reaches the child as exactly one argument, verbatim; no
 * shell is involved. {@code environment} is everything the child sees: nothing is inherited
 * from the JVM. An empty {@code stdin} closes the child's stdin at once.
 *
 * <p>Immutable: the compact constructor copies the collections and the stdin bytes, and
 * {@link #stdin()} returns a copy. {@link #toString()} shows neither argument values, environment
 * values nor stdin, since they may hold the prompt or secrets.
 *
 * @param command          argv; {@code command.get(0)} is the resolved executable path
 * @param environment      the complete child environment
 * @param workingDirectory the child's working directory; empty means the JVM's
 * @param stdin            written to the child's stdin on its own thread, then closed
 * @param timeout          positive; at the deadline the process tree is killed
 * @param maxOutputBytes   bytes kept per stream (stdout, stderr); the rest is read and discarded
 * @param leaveDescendants whether processes the tool started and left running when it exited
 *                         stay alive; false kills them (a timeout or cancellation kills them anyway)
 */
public record ProcessSpec(List<String> command,
                          Map<String, String> environment,
                          Optional<Path> workingDirectory,
                          Optional<byte[]> stdin,
                          Duration timeout,
                          long maxOutputBytes,
                          boolean leaveDescendants) {

    /** The default cap per stream, 16 MiB. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 16L * 1024 * 1024;

    /** The largest cap: what one Java byte array can hold. */
    public static final long MAX_OUTPUT_BYTES_LIMIT = Integer.MAX_VALUE - 8;

    /** The default timeout of the builder, 10 minutes (a tool's {@code timeout:} default). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    public ProcessSpec {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(timeout, "timeout");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command is empty: it needs at least the executable path");
        }
        for (int i = 0; i < command.size(); i++) {
            String arg = Objects.requireNonNull(command.get(i), () -> "command element is null");
            if (arg.indexOf('\0') >= 0) {
                // No OS can pass a NUL inside an argument; the JDK would refuse it at start().
                throw new IllegalArgumentException("command[" + i + "] contains a NUL character, which cannot be "
                        + "passed in an argument; pass such text on stdin instead");
            }
        }
        if (command.get(0).isEmpty()) {
            throw new IllegalArgumentException("command[0] is empty: it must be the executable path");
        }
        environment.forEach(ProcessSpec::checkEnvironmentEntry);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        if (maxOutputBytes < 0 || maxOutputBytes > MAX_OUTPUT_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxOutputBytes must be between 0 and " + MAX_OUTPUT_BYTES_LIMIT
                    + ", was " + maxOutputBytes);
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        stdin = stdin.map(byte[]::clone);
    }

    private static void checkEnvironmentEntry(String name, String value) {
        Objects.requireNonNull(name, "environment name");
        Objects.requireNonNull(value, () -> "environment value of " + name);
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment name '" + name.replace('\0', '?')
                    + "' is invalid: it must be non-empty and contain neither '=' nor NUL");
        }
        if (value.indexOf('\0') >= 0) {
            // The value is never shown: it may be a secret.
            throw new IllegalArgumentException("environment value of " + name + " contains a NUL character");
        }
    }

    /** A copy of the stdin bytes. */
    @Override
    public Optional<byte[]> stdin() {
        return stdin.map(byte[]::clone);
    }

    /** The executable path, {@code command.get(0)}. */
    public String executable() {
        return command.get(0);
    }

    /**
     * Starts a builder; defaults: empty environment, no stdin, {@link #DEFAULT_TIMEOUT},
     * {@link #DEFAULT_MAX_OUTPUT_BYTES}, descendants killed at the exit.
     */
    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ProcessSpec other)) {
            return false;
        }
        return command.equals(other.command) && environment.equals(other.environment)
                && workingDirectory.equals(other.workingDirectory)
                && stdin.isPresent() == other.stdin.isPresent()
                && (stdin.isEmpty() || java.util.Arrays.equals(stdin.get(), other.stdin.get()))
                && timeout.equals(other.timeout) && maxOutputBytes == other.maxOutputBytes
                && leaveDescendants == other.leaveDescendants;
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, environment, workingDirectory,
                stdin.map(java.util.Arrays::hashCode).orElse(0), timeout, maxOutputBytes, leaveDescendants);
    }

    @Override
    public String toString() {
        return "ProcessSpec[executable=" + executable() + ", arguments=" + (command.size() - 1)
                + ", environment names=" + new TreeSet<>(environment.keySet())
                + ", workingDirectory=" + workingDirectory.map(Path::toString).orElse("(inherited)")
                + ", stdin=" + stdin.map(b -> b.length + " bytes").orElse("closed")
                + ", timeout=" + timeout + ", maxOutputBytes=" + maxOutputBytes
                + ", leaveDescendants=" + leaveDescendants + "]";
    }

    /** Builds a {@link ProcessSpec}. Not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        private final List<String> command;
        private Map<String, String> environment = Map.of();
        private Path workingDirectory;
        private byte[] stdin;
        private Duration timeout = DEFAULT_TIMEOUT;
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        private boolean leaveDescendants;

        private Builder(List<String> command) {
            this.command = new ArrayList<>(Objects.requireNonNull(command, "command"));
        }

        /** The complete child environment (nothing is inherited). */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
            return this;
        }

        /** Bytes written to stdin, then closed. Not calling this closes stdin at once. */
        public Builder stdin(byte[] stdin) {
            this.stdin = Objects.requireNonNull(stdin, "stdin");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder maxOutputBytes(long maxOutputBytes) {
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        /** Whether processes the tool leaves running when it exits stay alive; default false (they are killed). */
        public Builder leaveDescendants(boolean leaveDescendants) {
            this.leaveDescendants = leaveDescendants;
            return this;
        }

        public ProcessSpec build() {
            return new ProcessSpec(command, environment, Optional.ofNullable(workingDirectory),
                    Optional.ofNullable(stdin), timeout, maxOutputBytes, leaveDescendants);
        }
    }
}
