package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.config.SettingsFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * The settings file of one tool ({@code settings_file:}), written by the adapter under the data
 * directory: {@code <data>/tools/<tool>/<file name>}, the directories made 0700 and the file 0600
 * where the file system has POSIX permissions, so no other user reads what it says and no other
 * user can change what the tool is told. Written before the first call and again whenever it is
 * gone or differs (a user who edits it gets it back as the YAML says); written to a temporary
 * file and moved into place, so a concurrent reader never sees half a file.
 *
 * <pre>{@code
 * PrivateSettingsFile f = new PrivateSettingsFile("gemini-cli", spec, dataDirectory);
 * env.put(spec.env(), f.path().toString());
 * f.ensureWritten();                      // before each start of the tool
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class PrivateSettingsFile {
    private final String tool;
    private final Path path;
    private final byte[] content;
    private volatile boolean written;

    /**
     * @param tool          the tool's name, which names its directory
     * @param spec          what to write
     * @param dataDirectory llm-service's data directory
     */
    PrivateSettingsFile(String tool, SettingsFile spec, Path dataDirectory) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.content = spec.json().getBytes(StandardCharsets.UTF_8);
        this.path = dataDirectory.resolve("tools").resolve(tool.replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve("settings.json");
    }

    /** Where the file is. */
    Path path() {
        return path;
    }

    /**
     * Writes the file unless it already holds the content.
     *
     * @throws ToolException (TOOL_IO, not retriable) when it cannot be written, naming the path
     */
    void ensureWritten() {
        if (written && Files.isRegularFile(path)) {
            return;
        }
        synchronized (this) {
            try {
                if (!(Files.isRegularFile(path) && Arrays.equals(Files.readAllBytes(path), content))) {
                    write();
                }
                written = true;
            } catch (IOException e) {
                throw new ToolException(ErrorCode.TOOL_IO, tool, "cannot write the tool's settings file " + path + ": "
                        + e.getMessage() + "; make its directory writable or set XDG_DATA_HOME to another data directory",
                        false, e);
            }
        }
    }

    private void write() throws IOException {
        Path dir = path.getParent();
        boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView(PosixFileAttributeView.class);
        createPrivateDirectories(dir, posix);
        Path temp = posix
                ? Files.createTempFile(dir, ".settings-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".settings-", ".tmp");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Makes {@code dir} and the missing directories above it, each 0700 on POSIX; the tool's own
     * directory is made 0700 even if it existed. Directories that existed above it keep their
     * permissions: they are the user's.
     */
    private static void createPrivateDirectories(Path dir, boolean posix) throws IOException {
        if (Files.isDirectory(dir)) {
            if (posix) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return;
        }
        ArrayDeque<Path> missing = new ArrayDeque<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        for (Path p : missing) {
            try {
                if (posix) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException raced) {
                // another process made it at the same time
            }
        }
    }

    private static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? dir.toAbsolutePath().getRoot() : p;
    }
}
