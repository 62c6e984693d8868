package io.llmservice.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool's {@code version_args} directly (no shell), stdin empty, with a short timeout, and
 * returns the first non-blank line of its output (stdout, else stderr). On timeout the process
 * tree is killed. Thread-safe; one probe per tool may run concurrently.
 */
final class ToolVersionProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BYTES = 64 * 1024;

    private final Duration timeout;

    ToolVersionProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /** The version line, or empty when it cannot be told (no args, no output, failure, timeout). */
    Optional<String> version(Path binary, List<String> versionArgs) {
        if (versionArgs.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(versionArgs);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return Optional.empty();
            }
            Optional<String> line = firstLine(out.get(1, TimeUnit.SECONDS));
            return line.isPresent() ? line : firstLine(err.get(1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(p);
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            kill(p); // a grandchild still holds the pipes open
            return Optional.empty();
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readNBytes(MAX_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    static Optional<String> firstLine(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(l -> !l.isEmpty())
                .findFirst();
    }

    private static File nullFile() {
        return new File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
