package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCopyOptions;
import io.llmservice.telemetry.h2.internal.H2TelemetryStore;

import java.nio.file.Path;
import java.time.Clock;

/**
 * A copy in its own JVM, for {@link StoreCopyIT} to kill with SIGKILL half way: copies the H2 store at
 * {@code args[0]} into the PostgreSQL database at {@code args[1]} as user {@code args[2]} (password from
 * {@code $COPY_PASSWORD}) in batches of {@code args[3]}, printing {@code batch <done>} after each
 * committed batch and then pausing, so that the test kills it between batches or inside the next one.
 */
final class StoreCopyMain {
    private StoreCopyMain() {
    }

    public static void main(String[] args) {
        TelemetrySettings target = TelemetrySettings.builder().store("postgres").url(args[1]).user(args[2])
                .password(Secret.fromVariable("COPY_PASSWORD", System.getenv("COPY_PASSWORD"))).build();
        try (H2TelemetryStore source = H2TelemetryStore.open(Path.of(args[0]), Clock.systemUTC());
             PostgresTelemetryStore to = PostgresTelemetryStore.open(target, Clock.systemUTC())) {
            source.copyTo(to, StoreCopyOptions.builder().batchSize(Integer.parseInt(args[3])).progress((done, total) -> {
                System.out.println("batch " + done + " " + total);
                System.out.flush();
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).build());
        }
        System.out.println("done");
    }
}
