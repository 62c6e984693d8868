package io.llmservice.acceptance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code llm-service.jar} as its own process, the way a user does: a chosen
 * working directory, a throwaway HOME and only the environment given. Whatever it started is
 * killed by {@link #close()}.
 */
final class CommandLine implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("llm-service.jar", "../llm-service-cli/target/llm-service.jar"))
            .toAbsolutePath().normalize();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    /** What a finished run left behind. */
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private final List<Process> started = new ArrayList<>();

    Result run(Path workingDirectory, Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        started.add(p);
        CompletableFuture<String> out = reader(p.getInputStream());
        CompletableFuture<String> err = reader(p.getErrorStream());
        try {
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                kill(p);
                throw new AssertionError("llm-service " + args + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("llm-service " + args + " failed to run", e);
        }
    }

    private static CompletableFuture<String> reader(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        }, "llm-service-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }


    @Override
    public void close() {
        started.forEach(CommandLine::kill);
    }
}
