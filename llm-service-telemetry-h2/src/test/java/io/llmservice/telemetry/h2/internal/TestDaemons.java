package io.llmservice.telemetry.h2.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Tests' access to store files behind the daemon's back, and the end of the daemons a test started. */
final class TestDaemons {
    private TestDaemons() {
    }

    /** Stops the store's daemon, then connects to the file directly (as the daemon would). */
    static Connection embedded(Path base) throws SQLException {
        StoreFiles files = new StoreFiles(base);
        if (!DaemonLauncher.stop(files, Duration.ofSeconds(20))) {
            throw new IllegalStateException("the daemon of " + base + " did not stop");
        }
        StoreCredentials cred = StoreCredentials.read(files).orElse(new StoreCredentials("SA", ""));
        return DriverManager.getConnection(embeddedUrl(base), cred.user(), cred.password());
    }

    static String embeddedUrl(Path base) {
        return "jdbc:h2:file:" + base.toAbsolutePath().normalize() + ";FILE_LOCK=FS";
    }

    /** Stops every daemon serving a store under {@code dir}, so the test's files can be deleted. */
    static void stopAll(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> locks;
        try (Stream<Path> s = Files.walk(dir)) {
            locks = s.filter(p -> p.getFileName().toString().endsWith(".daemon.lock")).toList();
        }
        for (Path lock : locks) {
            String name = lock.getFileName().toString();
            StoreFiles files = new StoreFiles(lock.resolveSibling(name.substring(0, name.length() - ".daemon.lock".length())));
            if (!DaemonLauncher.stop(files, Duration.ofSeconds(20))) {
                throw new IllegalStateException("the daemon of " + files.base() + " did not stop");
            }
        }
    }
}
