package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A full disk under a served store (a small tmpfs, so only as root where mounting works): records
 * that cannot be written are an error the caller sees, and the store works again once there is room.
 */
class DiskFullIT {
    @TempDir
    Path dir;
    private Path mount;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectory(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0, "cannot mount a tmpfs here (needs root): " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        TestDaemons.stopAll(dir);
        if (mount != null) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(180) // a writer that lost its batch left flush() waiting forever
    void diskFullWhileServing_flushFailsWithAClearError_andTheStoreWorksOnceThereIsRoom() throws Exception {
        Path base = mount.resolve("telemetry");
        Path filler = mount.resolve("filler");
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(ChildProcessMain.record("before"));
            store.flush();
            fill(filler);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20_000; i++) {
                    store.record(ChildProcessMain.record("full-" + i));
                }
                store.flush();
            }).isInstanceOfSatisfying(LlmServiceException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                    .hasMessageContaining(base.toString());
        } catch (LlmServiceException closeReportsItToo) {
            assertThat(closeReportsItToo.code()).isEqualTo(ErrorCode.TELEMETRY_STORE);
        }
        Files.delete(filler);
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(store.findByRequest("before")).hasSize(1);
            store.record(ChildProcessMain.record("after"));
            assertThat(store.findByRequest("after")).hasSize(1);
        }
    }

    /** Takes every free byte of the file system. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // no space left: what the test wants
        }
    }
}
