package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.config.ScratchDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The private directories per call of one tool ({@code scratch_dir:}):
 * {@code <data>/tools/<tool>/calls/<random>}, made 0700 where the file system has POSIX
 * permissions, named in the child's environment by each variable of {@code env}, and deleted with
 * everything in it when the call ends. What a CLI writes there (gemini 0.61: its chat transcript
 * under its home, its error reports quoting the whole conversation under its temporary directory)
 * does not outlive the call.
 *
 * <pre>{@code
 * Path dir = scratch.create();
 * try { run(scratch.environment(env, dir)); } finally { scratch.delete(dir); }
 * }</pre>
 *
 * <p>Thread-safe: each call gets a directory of its own.
 */
final class ScratchDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectories.class);

    private final String tool;
    private final ScratchDir spec;
    private final Path parent;

    ScratchDirectories(String tool, ScratchDir spec, Path dataDirectory) {
        this.tool = tool;
        this.spec = spec;
        this.parent = dataDirectory.resolve("tools").resolve(tool.replaceAll("[^A-Za-z0-9._-]", "_")).resolve("calls");
    }

    /**
     * A new private directory for one call.
     *
     * @throws ToolException (TOOL_IO, not retriable) when it cannot be made, naming where
     */
    Path create() {
        try {
            Files.createDirectories(parent);
            boolean posix = Files.getFileStore(parent).supportsFileAttributeView(PosixFileAttributeView.class);
            if (posix) {
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
                return Files.createTempDirectory(parent, "call-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return Files.createTempDirectory(parent, "call-");
        } catch (IOException e) {
            throw new ToolException(ErrorCode.TOOL_IO, tool, "cannot make the call's private directory under " + parent
                    + ": " + e.getMessage() + "; make it writable or set XDG_DATA_HOME to another data directory", false, e);
        }
    }

    /** The child's environment with each variable of {@code scratch_dir.env} set to {@code dir}. */
    Map<String, String> environment(Map<String, String> base, Path dir) {
        Map<String, String> env = new HashMap<>(base);
        for (String name : spec.env()) {
            env.put(name, dir.toString());
        }
        return Map.copyOf(env);
    }

    /** Deletes the directory and everything in it; what cannot be deleted is logged, not thrown. */
    void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("tool '{}': could not delete its call directory {}: {}", tool, dir, e.toString());
        }
    }
}
