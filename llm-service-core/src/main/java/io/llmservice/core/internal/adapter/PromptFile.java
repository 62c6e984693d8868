package io.llmservice.core.internal.adapter;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The temporary file behind {@code {prompt_file}}: the prompt's UTF-8 bytes, readable and
 * writable by the owner only where the file system has POSIX permissions, deleted on
 * {@link #close()}.
 *
 * <pre>{@code
 * try (PromptFile f = PromptFile.write(bytes)) {
 *     run(f.path());
 * }
 * }</pre>
 *
 * <p>Not thread-safe; one per invocation.
 */
final class PromptFile implements AutoCloseable {

    private final Path path;

    private PromptFile(Path path) {
        this.path = path;
    }

    /** Writes the prompt to a new temporary file. */
    static PromptFile write(byte[] prompt) throws IOException {
        Path path;
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            path = Files.createTempFile("llm-service-prompt-", ".txt", ownerOnly);
        } else {
            // On Windows the user's temp directory is private to the user already.
            path = Files.createTempFile("llm-service-prompt-", ".txt");
        }
        try {
            Files.write(path, prompt);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        return new PromptFile(path);
    }

    Path path() {
        return path;
    }

    /** Deletes the file; a file already gone is fine. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(path);
    }
}
