package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, empty databases on a {@link PostgresServer} for store tests: each {@link #fresh} makes a new login
 * role with a random password and a database it owns, and returns the {@code policies.telemetry} settings
 * of a {@code store: postgres} on it (the password as if from {@code ${PGPASSWORD}}).
 *
 * <pre>{@code
 * TelemetrySettings settings = TestDatabases.fresh(PostgresServer.shared());
 * try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, clock)) { ... }
 * }</pre>
 *
 * <p>Thread-safe; the names are unique in the JVM (a server is never shared between JVMs).
 */
final class TestDatabases {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestDatabases() {
    }

    /** A new role and a database it owns, on {@code pg}. */
    static TelemetrySettings fresh(PostgresServer pg) {
        String name = "t" + NEXT.incrementAndGet();
        String password = randomPassword();
        pg.createRole(name, password);
        pg.createDatabase(name, name);
        return settings(pg, name, name, password);
    }

    /** Settings for {@code store: postgres} at {@code database} as {@code user}. */
    static TelemetrySettings settings(PostgresServer pg, String database, String user, String password) {
        return TelemetrySettings.builder().store(PostgresTelemetryStoreProvider.TYPE).url(pg.jdbcUrl(database))
                .user(user).password(Secret.fromVariable("PGPASSWORD", password)).build();
    }

    static String randomPassword() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "pw-" + HexFormat.of().formatHex(b);
    }
}
