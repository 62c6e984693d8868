package io.llmservice.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real program that stands in for an LLM tool's CLI in tests, scriptable like OkHttp's
 * {@code MockWebServer}: it prints the stdout and stderr you give it, exits with your status,
 * can be slow, ignore SIGTERM, leave a grandchild running or flood its output, and records every
 * invocation byte-exact (arguments, stdin, environment, working directory, pid) for assertions.
 *
 * <pre>{@code
 * @TempDir Path dir;
 *
 * @Test
 * void reviewer_usesClaude() throws Exception {
 *     FakeCli claude = FakeCli.builder()
 *             .name("claude")
 *             .stdout(Files.readString(Path.of("fixtures/claude-ok.json")))
 *             .then()                                  // the second call fails
 *             .stderr("API Error: 429 rate limit").exitCode(1)
 *             .build(dir);
 *     // point the tool's `binary:` at claude.binary(), run the code under test, then:
 *     FakeCli.Invocation call = claude.invocations().get(0);
 *     assertThat(call.argv()).containsSubsequence("--model", "sonnet");
 *     assertThat(call.stdinText()).isEqualTo("Review this diff ...");
 *     assertThat(call.environment()).doesNotContainKey("AWS_SECRET_ACCESS_KEY");
 * }
 * }</pre>
 *
 * <p><b>Responses.</b> The builder describes one response; {@link Builder#then()} starts the next.
 * Call <i>n</i> gets response <i>n</i>; once the queue is used up, the last response answers every
 * further call. Each response: read all of stdin (unless {@code readStdin(false)}), start the
 * grandchild if asked, wait the delay, print stdout, the flood, then stderr, and exit.
 *
 * <p><b>Modes.</b> {@link Mode#SHELL} (the default on Linux and macOS) writes a POSIX {@code sh}
 * script that starts in milliseconds, so hundreds of concurrent calls are cheap; it only ever
 * expands {@code "$@"} and its own variables, so no argument or stdin byte is ever interpreted.
 * {@link Mode#JAVA} (the default on Windows) writes a launcher ({@code .cmd} on Windows, {@code sh}
 * elsewhere) that runs {@link FakeCliMain} on the current JVM's {@code java}; it starts in about a
 * second. On Windows, cmd.exe re-parses the launcher's {@code %*}, so arguments holding
 * {@code % ^ & | < > "} may not arrive verbatim there; stdin is always byte-exact.
 *
 * <p><b>Lifecycle.</b> {@link Builder#build(Path)} creates a fresh directory inside the given one
 * (so several fakes can share a JUnit {@code @TempDir}) and writes the program and its records
 * there; nothing is global. Deleting the directory is up to the caller ({@code @TempDir} does it).
 * A process the fake started (a grandchild, a slow call) is yours to kill; the code under test
 * normally does, and {@link #isRunning(long)} lets a test assert it.
 *
 * <p>Thread-safe: any number of processes may run the binary concurrently; each call gets its
 * own record, numbered in the order the calls started.
 */
public final class FakeCli {

    /** How the fake program is implemented. */
    public enum Mode {
        /** A generated POSIX {@code sh} script: fast; Linux and macOS. */
        SHELL,
        /** A generated launcher running {@link FakeCliMain} on a JVM: slower; works on Windows too. */
        JAVA
    }

    static final String CONFIG_FILE = "fake-cli.properties";
    static final String CALLS = "calls";
    static final String RESPONSES = "responses";

    private final Path directory;
    private final Path binary;
    private final Mode mode;

    private FakeCli(Path directory, Path binary, Mode mode) {
        this.directory = directory;
        this.binary = binary;
        this.mode = mode;
    }

    /** A builder whose first response prints nothing and exits 0, reading all of stdin. */
    public static Builder builder() {
        return new Builder();
    }

    /** A fake that prints nothing and exits 0: for tests that only look at what it received. */
    public static FakeCli create(Path directory) {
        return builder().build(directory);
    }

    /** The executable to put in a tool's {@code binary:} (or to put its directory on PATH). */
    public Path binary() {
        return binary;
    }

    /** This fake's own directory, holding the program and its records. */
    public Path directory() {
        return directory;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Every invocation so far, in the order they started. A call still running may show partial
     * records; see {@link Invocation#completed()}.
     */
    public List<Invocation> invocations() {
        Path calls = directory.resolve(CALLS);
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(calls)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".seq"))
                    .map(n -> Integer.parseInt(n.substring(0, n.length() - ".seq".length())))
                    .sorted()
                    .forEach(numbers::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the records in " + calls, e);
        }
        List<Invocation> result = new ArrayList<>(numbers.size());
        for (int number : numbers) {
            result.add(Invocation.read(calls, number));
        }
        return List.copyOf(result);
    }

    /** How many times the program has been started so far. */
    public int invocationCount() {
        return invocations().size();
    }

    /**
     * Whether a process is running: alive and not a zombie. ({@link ProcessHandle#isAlive()} is
     * true for a zombie, which lingers until its parent or init reaps it.) Use it to assert that a
     * grandchild was killed.
     */
    public static boolean isRunning(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.get().isAlive();
        }
    }

    @Override
    public String toString() {
        return "FakeCli[" + binary + ", " + mode + "]";
    }

    /**
     * What one run of the fake program received.
     *
     * @param number           1 for the first call, in the order calls started
     * @param pid              the process id of the fake program (the launcher's JVM in {@link Mode#JAVA})
     * @param argv             the arguments after the program name, exactly as received
     * @param stdin            every byte read from stdin (empty when {@code readStdin(false)})
     * @param environment      the complete environment the process started with
     * @param workingDirectory the working directory, when recorded
     * @param grandchildPid    the pid of the grandchild started by {@code spawnGrandchild}
     * @param delayPid         in {@link Mode#SHELL}, the pid of the {@code sleep} child that implements the delay
     * @param completed        whether the call got as far as exiting by itself
     */
    public record Invocation(int number, long pid, List<String> argv, byte[] stdin, Map<String, String> environment,
                             Optional<Path> workingDirectory, Optional<Long> grandchildPid, Optional<Long> delayPid,
                             boolean completed) {

        public Invocation {
            argv = List.copyOf(argv);
            stdin = stdin.clone();
            environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
            Objects.requireNonNull(workingDirectory, "workingDirectory");
            Objects.requireNonNull(grandchildPid, "grandchildPid");
            Objects.requireNonNull(delayPid, "delayPid");
        }

        /** The pids of every process the fake started for this call (grandchild, delay), to assert or clean up. */
        public List<Long> childPids() {
            List<Long> pids = new ArrayList<>();
            grandchildPid.ifPresent(pids::add);
            delayPid.ifPresent(pids::add);
            return List.copyOf(pids);
        }

        /** A copy of the stdin bytes. */
        @Override
        public byte[] stdin() {
            return stdin.clone();
        }

        /** The stdin bytes decoded as UTF-8. */
        public String stdinText() {
            return new String(stdin, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Invocation i && number == i.number && pid == i.pid && argv.equals(i.argv)
                    && Arrays.equals(stdin, i.stdin) && environment.equals(i.environment)
                    && workingDirectory.equals(i.workingDirectory) && grandchildPid.equals(i.grandchildPid)
                    && delayPid.equals(i.delayPid) && completed == i.completed;
        }

        @Override
        public int hashCode() {
            return Objects.hash(number, pid, argv, Arrays.hashCode(stdin), environment, workingDirectory,
                    grandchildPid, delayPid, completed);
        }

        @Override
        public String toString() {
            return "Invocation[#" + number + ", pid=" + pid + ", argv=" + argv.size() + " arguments, stdin="
                    + stdin.length + " bytes, environment names=" + environment.keySet() + ", completed="
                    + completed + "]";
        }

        static Invocation read(Path calls, int number) {
            String base = Integer.toString(number);
            List<String> argv = splitNul(readOrEmpty(calls.resolve(base + ".argv")));
            Map<String, String> env = new LinkedHashMap<>();
            Path envNl = calls.resolve(base + ".envnl");
            List<String> entries = Files.exists(envNl)
                    ? List.of(new String(readOrEmpty(envNl), StandardCharsets.UTF_8).split("\n"))
                    : splitNul(readOrEmpty(calls.resolve(base + ".env")));
            for (String entry : entries) {
                int eq = entry.indexOf('=', 1);
                if (eq > 0) {
                    env.put(entry.substring(0, eq), entry.substring(eq + 1));
                }
            }
            String cwd = text(calls.resolve(base + ".cwd"));
            String pid = text(calls.resolve(base + ".pid"));
            String grandchild = text(calls.resolve(base + ".grandchild"));
            String delay = text(calls.resolve(base + ".delay"));
            return new Invocation(number, pid.isEmpty() ? -1 : Long.parseLong(pid), argv,
                    readOrEmpty(calls.resolve(base + ".stdin")), env,
                    cwd.isEmpty() ? Optional.empty() : Optional.of(Path.of(cwd)),
                    grandchild.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(grandchild)),
                    delay.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(delay)),
                    Files.exists(calls.resolve(base + ".done")));
        }

        private static List<String> splitNul(byte[] bytes) {
            List<String> parts = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    parts.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return parts;
        }

        private static String text(Path file) {
            String s = new String(readOrEmpty(file), StandardCharsets.UTF_8);
            // Strip the one newline sh's echo/pwd appends, nothing else (a path may end in spaces).
            return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        }

        private static byte[] readOrEmpty(Path file) {
            try {
                return Files.readAllBytes(file);
            } catch (java.nio.file.NoSuchFileException e) {
                return new byte[0];
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    /**
     * Builds a {@link FakeCli}. Each setter configures the current response; {@link #then()} starts
     * the next one. Not thread-safe; {@link #build(Path)} may be called more than once, each call
     * making an independent fake.
     */
    public static final class Builder {
        private final List<FakeCliResponse> done = new ArrayList<>();
        private byte[] stdout = new byte[0];
        private byte[] stderr = new byte[0];
        private int exitCode;
        private Duration delay = Duration.ZERO;
        private boolean ignoreSigterm;
        private Duration grandchildSleep;
        private long floodStdoutBytes;
        private boolean readStdin = true;
        private String name = "fake-cli";
        private Mode mode;

        private Builder() {
        }

        /** The program's file name, e.g. {@code claude} to be found on PATH (default {@code fake-cli}; {@code .cmd} is added on Windows). */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("name '" + name + "' must be a plain file name of letters, digits, '.', '_' or '-'");
            }
            this.name = name;
            return this;
        }

        /** {@link Mode#SHELL} or {@link Mode#JAVA}; the default is SHELL except on Windows. */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Text printed on stdout, encoded as UTF-8. */
        public Builder stdout(String text) {
            return stdout(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes printed on stdout, exactly. */
        public Builder stdout(byte[] bytes) {
            this.stdout = bytes.clone();
            return this;
        }

        /** Text printed on stderr, encoded as UTF-8. */
        public Builder stderr(String text) {
            return stderr(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Bytes printed on stderr, exactly. */
        public Builder stderr(byte[] bytes) {
            this.stderr = bytes.clone();
            return this;
        }

        /** The exit status, 0 to 255. */
        public Builder exitCode(int exitCode) {
            if (exitCode < 0 || exitCode > 255) {
                throw new IllegalArgumentException("exitCode must be between 0 and 255, was " + exitCode);
            }
            this.exitCode = exitCode;
            return this;
        }

        /** How long to wait before answering (after reading stdin), millisecond precision. */
        public Builder delay(Duration delay) {
            this.delay = nonNegative(delay, "delay");
            return this;
        }

        /** Ignore SIGTERM, so only a hard kill (SIGKILL) stops the program. Inherited by the grandchild. */
        public Builder ignoreSigterm() {
            this.ignoreSigterm = true;
            return this;
        }

        /**
         * Start a grandchild process that sleeps {@code sleep} and inherits stdout and stderr (so it
         * also holds the pipes open), before the delay. Its pid is in {@link Invocation#grandchildPid()}.
         */
        public Builder spawnGrandchild(Duration sleep) {
            this.grandchildSleep = nonNegative(sleep, "sleep");
            return this;
        }

        /** After stdout, write {@code bytes} zero bytes more to stdout. */
        public Builder floodStdout(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("floodStdout bytes must not be negative, was " + bytes);
            }
            this.floodStdoutBytes = bytes;
            return this;
        }

        /** Whether to read all of stdin before answering (default true); false leaves stdin unread. */
        public Builder readStdin(boolean readStdin) {
            this.readStdin = readStdin;
            return this;
        }

        /** Ends the current response and starts the next, which starts from the defaults again. */
        public Builder then() {
            done.add(current());
            stdout = new byte[0];
            stderr = new byte[0];
            exitCode = 0;
            delay = Duration.ZERO;
            ignoreSigterm = false;
            grandchildSleep = null;
            floodStdoutBytes = 0;
            readStdin = true;
            return this;
        }

        private FakeCliResponse current() {
            return new FakeCliResponse(stdout, stderr, exitCode, delay, ignoreSigterm,
                    Optional.ofNullable(grandchildSleep), floodStdoutBytes, readStdin);
        }

        /**
         * Writes the program into a new directory inside {@code directory}.
         *
         * @throws UncheckedIOException when the files cannot be written
         * @throws IllegalStateException when a helper program ({@code cat}, {@code sleep}...) is missing in SHELL mode
         */
        public FakeCli build(Path directory) {
            Objects.requireNonNull(directory, "directory");
            List<FakeCliResponse> responses = new ArrayList<>(done);
            responses.add(current());
            boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
            Mode chosen = mode != null ? mode : windows ? Mode.JAVA : Mode.SHELL;
            if (chosen == Mode.SHELL && windows) {
                throw new IllegalStateException("Mode.SHELL needs a POSIX sh; use Mode.JAVA on Windows");
            }
            try {
                Files.createDirectories(directory);
                Path own = Files.createTempDirectory(directory, "fake-cli-").toAbsolutePath();
                Files.createDirectory(own.resolve(CALLS));
                Path responseDir = Files.createDirectory(own.resolve(RESPONSES));
                Properties config = new Properties();
                config.setProperty("responses", Integer.toString(responses.size()));
                for (int i = 0; i < responses.size(); i++) {
                    FakeCliResponse r = responses.get(i);
                    int n = i + 1;
                    Files.write(responseDir.resolve(n + ".stdout"), r.stdout());
                    Files.write(responseDir.resolve(n + ".stderr"), r.stderr());
                    String p = "response." + n + ".";
                    config.setProperty(p + "exitCode", Integer.toString(r.exitCode()));
                    config.setProperty(p + "delayMillis", Long.toString(r.delay().toMillis()));
                    config.setProperty(p + "ignoreSigterm", Boolean.toString(r.ignoreSigterm()));
                    config.setProperty(p + "grandchildMillis",
                            r.grandchildSleep().map(d -> Long.toString(d.toMillis())).orElse(""));
                    config.setProperty(p + "floodStdoutBytes", Long.toString(r.floodStdoutBytes()));
                    config.setProperty(p + "readStdin", Boolean.toString(r.readStdin()));
                }
                try (var out = Files.newOutputStream(own.resolve(CONFIG_FILE))) {
                    config.store(out, "FakeCli responses");
                }
                Path binary;
                if (chosen == Mode.SHELL) {
                    binary = own.resolve(name);
                    writeExecutable(binary, ShellScript.generate(own, responses));
                } else if (windows) {
                    binary = own.resolve(name.toLowerCase(Locale.ROOT).endsWith(".cmd") ? name : name + ".cmd");
                    writeExecutable(binary, JavaLauncher.windows(own));
                } else {
                    binary = own.resolve(name);
                    writeExecutable(binary, JavaLauncher.posix(own));
                }
                return new FakeCli(own, binary, chosen);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the fake CLI into " + directory, e);
            }
        }

        private static void writeExecutable(Path file, String content) throws IOException {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE));
            } catch (UnsupportedOperationException e) {
                // Windows: executability comes from the .cmd extension.
            }
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
