package io.llmservice.telemetry.h2.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Another local user can neither read a served store's files nor talk to its daemon: the files are
 * 0600 in a 0700 directory, the daemon listens on 127.0.0.1 only and admits only its key and password.
 * Runs as root (to become {@code nobody} with setpriv); skipped otherwise.
 */
class OtherUserIT {
    private Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            TestDaemons.stopAll(dir);
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void nobody_cannotReadTheStoreFiles_norConnectWithoutTheSecrets_andTheDaemonListensOnLoopbackOnly()
            throws Exception {
        assumeTrue(run(List.of("id", "-u")).strip().equals("0"), "needs root to run a process as nobody");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv");
        dir = Files.createTempDirectory("llm-other-user");
        // Only our own permissions below this point may protect the store.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path base = dir.resolve("store").resolve("telemetry");
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(ChildProcessMain.record("secret-1"));
            store.flush();
            StoreFiles files = new StoreFiles(base);
            assertThat(perms(base.getParent())).isEqualTo("rwx------");
            for (Path f : List.of(files.data(), files.credentials(), files.endpoint(), files.mark())) {
                assertThat(perms(f)).as("permissions of %s", f).isEqualTo("rw-------");
                Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup",
                        "--clear-groups", "cat", f.toString()).redirectErrorStream(true).start();
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("cat %s as nobody: %s", f,
                        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isNotZero();
            }
            DaemonEndpoint endpoint = DaemonEndpoint.read(files.endpoint()).orElseThrow();
            for (String db : List.of("anything", base.toString(), files.base().toString())) {
                assertThatThrownBy(() -> DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + endpoint.port()
                        + "/" + db, "sa", "").close()).as("database %s without key or password", db)
                        .isInstanceOf(java.sql.SQLException.class);
            }
            String listening = run(List.of("ss", "-Hltn", "sport = :" + endpoint.port()));
            assertThat(listening.lines().toList()).as("ss: %s", listening).isNotEmpty()
                    .allSatisfy(l -> assertThat(l.split("\\s+")[3]).isIn("127.0.0.1:" + endpoint.port(),
                            "[::ffff:127.0.0.1]:" + endpoint.port())); // the JDK's IPv4-mapped loopback
        }
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }
}
