package io.llmservice.telemetry.postgres.internal;

import java.nio.file.Path;

/**
 * For {@code PostgresServerIT}: starts a {@link PostgresServer} under the parent directory {@code args[0]},
 * prints its run directory and postmaster PID, and halts without running shutdown hooks, the way a test
 * JVM killed by a build timeout leaves its postmaster behind.
 */
final class AbandonedServerMain {
    private AbandonedServerMain() {
    }

    public static void main(String[] args) {
        PostgresServer pg = PostgresServer.builder().parentDirectory(Path.of(args[0])).build();
        pg.start();
        System.out.println(pg.dataDirectory().getParent() + " " + pg.pid());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
