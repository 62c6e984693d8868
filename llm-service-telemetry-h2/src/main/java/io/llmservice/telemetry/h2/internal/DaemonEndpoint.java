package io.llmservice.telemetry.h2.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where a running store daemon listens, as it writes it to {@code <path>.daemon} (a {@code 0600}
 * file): its process id, the loopback port of its H2 TCP server, the one-time key that is the only
 * database name that server accepts, and what it was built with. A client connects only when
 * {@link #compatibleWithThisBuild()}; otherwise it stops that daemon and starts its own.
 *
 * @param pid      the daemon's process id
 * @param port     its TCP port on 127.0.0.1
 * @param key      the database name the server maps to the store (random per daemon start)
 * @param protocol {@link #PROTOCOL} of the build that started it
 * @param h2       the H2 version it runs (its wire protocol must match the client's driver)
 * @param schema   the schema version its migrations brought the store to
 * @param started  when it started listening
 */
record DaemonEndpoint(long pid, int port, String key, int protocol, String h2, int schema, Instant started) {
    /** Raised when the files, the endpoint or the way clients talk to the daemon change incompatibly. */
    static final int PROTOCOL = 1;

    DaemonEndpoint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(h2, "h2");
        Objects.requireNonNull(started, "started");
    }

    /** The endpoint this build's daemon publishes. */
    static DaemonEndpoint ofThisBuild(long pid, int port, String key, Instant started) {
        return new DaemonEndpoint(pid, port, key, PROTOCOL, org.h2.engine.Constants.FULL_VERSION,
                SchemaMigrator.SCHEMA_VERSION, started);
    }

    boolean compatibleWithThisBuild() {
        return protocol == PROTOCOL && h2.equals(org.h2.engine.Constants.FULL_VERSION)
                && schema == SchemaMigrator.SCHEMA_VERSION;
    }

    String jdbcUrl() {
        // LOCK_TIMEOUT: a reservation waits for the budget row another process holds rather than failing.
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/" + key + ";LOCK_TIMEOUT=10000";
    }

    /** The endpoint in {@code file}, or nothing when there is none or it cannot be read as one. */
    static Optional<DaemonEndpoint> read(Path file) {
        try {
            Optional<Properties> p = StoreFiles.read(file);
            if (p.isEmpty()) {
                return Optional.empty();
            }
            Properties v = p.get();
            return Optional.of(new DaemonEndpoint(Long.parseLong(v.getProperty("pid")),
                    Integer.parseInt(v.getProperty("port")), v.getProperty("key"),
                    Integer.parseInt(v.getProperty("protocol")), v.getProperty("h2"),
                    Integer.parseInt(v.getProperty("schema")), Instant.parse(v.getProperty("started"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // half-written by an older build, or damaged: treated as no daemon
        }
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("port", Integer.toString(port));
        p.setProperty("key", key);
        p.setProperty("protocol", Integer.toString(protocol));
        p.setProperty("h2", h2);
        p.setProperty("schema", Integer.toString(schema));
        p.setProperty("started", started.toString());
        StoreFiles.writeAtomically(file, p);
    }

    @Override
    public String toString() {
        // The key is a secret: never in a log line or an error message.
        return "daemon pid " + pid + " on 127.0.0.1:" + port + " (protocol " + protocol + ", H2 " + h2 + ", schema v"
                + schema + ", since " + started + ")";
    }
}
