package io.llmservice.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file the CLI produces ({@code --output}, {@code report -o}, {@code config init --force}):
 * first to a temporary file beside it, then moved into place, so a reader never sees half a file
 * and a failed write leaves the old one as it was. The file gets the permissions of the file it
 * replaces, or the process's default (the umask) when it is new; not the owner-only mode of
 * {@link Files#createTempFile}.
 *
 * <pre>{@code
 * AtomicFile.write(path, text);
 * AtomicFile.write(path, w -> llm.writeReport(report, w));
 * }</pre>
 *
 * <p>Stateless; concurrent writers of one file each move a whole file into place, the last one wins.
 */
final class AtomicFile {

    /** What goes into the file, written to a UTF-8 writer. */
    @FunctionalInterface
    interface Content {
        void writeTo(Writer w) throws IOException;
    }

    private AtomicFile() {
    }

    /**
     * An {@code --output} option's write: {@code text} to standard output when {@code output} is null, else to
     * that file (relative to the working directory), saying on standard error where it went.
     */
    static void writeOrPrint(CliEnvironment env, Path output, String text) throws IOException {
        if (output == null) {
            env.out().print(text);
            env.out().flush();
            return;
        }
        Path file = env.workingDirectory().resolve(output);
        write(file, text);
        env.err().println("wrote " + file);
    }

    /** Writes {@code text} as UTF-8 to {@code file}, creating its directory if needed. */
    static void write(Path file, String text) throws IOException {
        write(file, w -> w.write(text));
    }

    /** Writes what {@code content} writes, as UTF-8, to {@code file}, creating its directory if needed. */
    static void write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, target.getFileName().toString());
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                content.writeTo(w);
            }
            keepPermissions(target, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** A new empty file {@code .NAME.RANDOM.tmp} in {@code dir}, created with the default permissions. */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    /** A replaced file keeps its mode (a report someone made group-readable stays so). */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (view != null && Files.isRegularFile(target)) {
            Files.setPosixFilePermissions(tmp, view.readAttributes().permissions());
        }
    }
}
