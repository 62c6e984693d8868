package io.llmservice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar (or the launcher script) as a separate process with a temporary HOME,
 * a chosen working directory and a minimal environment (no locale variables: a C locale, so the
 * UTF-8 handling is really exercised). Every process it starts is killed by {@link #close()}.
 */
final class CliRun implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("llm-service.jar", "target/llm-service.jar")).toAbsolutePath();
    static final Path DIST = Path.of(System.getProperty("llm-service.dist", "src/main/dist")).toAbsolutePath();
    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    /**
     * The launcher's start-up flags (its {@code defaults=} line: C1 only on one compiler thread, the
     * serial collector, no jstat file), read from the script so that {@code java -jar} here starts
     * the JVM the way {@code llm-service} does for a user. A test JVM without them spends about
     * twice the CPU on JIT compiler threads and G1 (issue 17, measured 1.9 vs 1.1 CPU-s per
     * {@code exec}), which on two cores is what the process storms wait for.
     */
    static final List<String> LAUNCHER_DEFAULTS = launcherDefaults(DIST.resolve("bin").resolve("llm-service"));

    /** What a finished run left behind. */
    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout() + "--- stderr\n" + stderr;
        }
    }

    private final Path home;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Process> started = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path workingDirectory;

    CliRun(Path home, Path workingDirectory) {
        this.home = home;
        this.workingDirectory = workingDirectory;
        env.put("HOME", home.toString());
        env.put("PATH", "/usr/bin:/bin");
    }

    CliRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** An option for the CLI's JVM, e.g. {@code -Dllmservice.store.idleTimeout=20s} (passed on to the store daemon). */
    CliRun jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    CliRun workingDirectory(Path dir) {
        this.workingDirectory = dir;
        return this;
    }

    /** {@code java -jar llm-service.jar args...}. */
    Result run(String... args) {
        return run(new byte[0], args);
    }

    Result run(byte[] stdin, String... args) {
        return await(start(stdin, args), Duration.ofSeconds(60));
    }

    /** Runs a program (the launcher script) instead of {@code java -jar}. */
    Result runProgram(List<String> command) {
        return await(startCommand(command, new byte[0]), Duration.ofSeconds(60));
    }

    /** A started CLI process whose output is being read from the start (so no byte is lost). */
    record Running(Process process, CompletableFuture<byte[]> out, CompletableFuture<byte[]> err) {
    }

    Running start(byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString()));
        command.addAll(LAUNCHER_DEFAULTS);
        command.add("-Duser.home=" + home);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return startCommand(command, stdin);
    }

    private Running startCommand(List<String> command, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            started.add(p);
            Running running = new Running(p, reader(p.getInputStream()), reader(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Reads a stream to its end on a thread of its own (the common pool has one thread on two cores). */
    private static CompletableFuture<byte[]> reader(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> f.complete(readAll(in)), "cli-output-reader");
        t.setDaemon(true);
        t.start();
        return f;
    }

    static Result await(Running running, Duration timeout) {
        Process p = running.process();
        CompletableFuture<byte[]> out = running.out();
        CompletableFuture<byte[]> err = running.err();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("the CLI did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The words of the launcher's {@code defaults="..."} line; fails when the script has none. */
    static List<String> launcherDefaults(Path launcher) {
        try {
            String line = Files.readAllLines(launcher, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("defaults=\"")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no defaults=\"...\" line in " + launcher
                            + ": the tests start the jar with the launcher's start-up flags; update CliRun"));
            return List.of(line.substring("defaults=\"".length(), line.lastIndexOf('"')).trim().split("\\s+"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String claudeSuccess() {
        try (InputStream in = CliRun.class.getResourceAsStream("/real-cli/claude-2.1.197-success.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
