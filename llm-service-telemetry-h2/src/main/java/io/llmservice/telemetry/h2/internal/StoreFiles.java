package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The files of one H2 store, all beside {@code <path>}:
 *
 * <table>
 * <caption>files</caption>
 * <tr><td>{@code <path>.mv.db}</td><td>the data (H2)</td></tr>
 * <tr><td>{@code <path>.credentials}</td><td>the database password, made once</td></tr>
 * <tr><td>{@code <path>.daemon}</td><td>where the running daemon listens and its one-time key</td></tr>
 * <tr><td>{@code <path>.daemon.lock}</td><td>locked by the running daemon for its whole life</td></tr>
 * <tr><td>{@code <path>.start.lock}</td><td>locked by a client while it starts a daemon</td></tr>
 * <tr><td>{@code <path>.mark}</td><td>how far the data had got at its last sync ({@link StoreMark})</td></tr>
 * <tr><td>{@code <path>.daemon.log}</td><td>the daemon's output</td></tr>
 * </table>
 *
 * <p>Everything is private to its owner: a directory this class creates is {@code 0700}, every file
 * {@code 0600} (on file systems without POSIX permissions, such as Windows', the user's profile
 * directory is what keeps them private). Immutable.
 */
record StoreFiles(Path base) {
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    StoreFiles {
        base = base.toAbsolutePath().normalize();
    }

    Path data() {
        return sibling(".mv.db");
    }

    Path credentials() {
        return sibling(".credentials");
    }

    Path endpoint() {
        return sibling(".daemon");
    }

    Path daemonLock() {
        return sibling(".daemon.lock");
    }

    Path startLock() {
        return sibling(".start.lock");
    }

    Path mark() {
        return sibling(".mark");
    }

    Path log() {
        return sibling(".daemon.log");
    }

    private Path sibling(String suffix) {
        return base.resolveSibling(base.getFileName() + suffix);
    }

    /** Creates the store's directory (and missing parents) readable by its owner only. */
    void createDirectory() {
        Path dir = base.getParent();
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (posix(dir.getRoot())) {
                Files.createDirectories(dir, attribute(PRIVATE_DIR));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException | SecurityException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry path " + base
                    + " is not writable: cannot create directory " + dir + " (" + e + "); fix its permissions or set"
                    + " policies.telemetry.path to a writable location", e);
        }
    }

    /** Makes an existing file private to its owner (a data file made by an older version was 0644). */
    static void makePrivate(Path file) throws IOException {
        if (Files.exists(file) && posix(file)) {
            Files.setPosixFilePermissions(file, PRIVATE_FILE);
        }
    }

    /** Opens (creating it {@code 0600} if missing) a file used only for locking. */
    static FileChannel lockFile(Path file) throws IOException {
        try {
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    privateFileAttributes(file));
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(file, StandardOpenOption.WRITE);
        }
    }

    /** Reads a properties file, or nothing when there is none. */
    static Optional<Properties> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(p);
    }

    /**
     * Writes a properties file as a whole or not at all: to a private temporary file, forced to the
     * disk, then moved over the old one.
     */
    static void writeAtomically(Path file, Properties p) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        java.io.StringWriter text = new java.io.StringWriter();
        p.store(text, null);
        java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                privateFileAttributes(tmp))) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileAttribute<?>[] privateFileAttributes(Path file) {
        return posix(file.toAbsolutePath().getParent()) ? new FileAttribute<?>[] {attribute(PRIVATE_FILE)}
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> perms) {
        return PosixFilePermissions.asFileAttribute(perms);
    }
}
