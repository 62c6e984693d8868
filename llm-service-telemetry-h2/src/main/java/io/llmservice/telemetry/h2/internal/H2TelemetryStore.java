package io.llmservice.telemetry.h2.internal;

import io.llmservice.telemetry.jdbc.internal.BatchingWriter;
import io.llmservice.telemetry.jdbc.internal.JdbcTelemetryStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * The invocation log, budget ledger, rate-limit buckets, cooldowns and stats in an H2 file database,
 * served to every process of the machine by the store's daemon ({@link StoreDaemon}).
 *
 * <pre>{@code
 * try (TelemetryStore store = new H2TelemetryStoreProvider().open(settings, Clock.systemUTC())) {
 *     store.record(record);   // queued; returns in microseconds
 *     store.flush();          // now it survives kill -9
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} drains the writer, makes everything durable and closes the
 * database. Call it (the service does on {@code LlmService.close()}): at JVM exit H2 closes the
 * database by itself, and records still queued then are lost; records already flushed are not.
 */
public final class H2TelemetryStore extends JdbcTelemetryStore {
    private final TelemetryDatabase db;

    private H2TelemetryStore(TelemetryDatabase db, Clock clock, int queueCapacity) {
        super(db, clock, queueCapacity);
        this.db = db;
    }

    /** Connects to the store whose data file is {@code <path>.mv.db}, starting its daemon if none runs. */
    public static H2TelemetryStore open(Path path, Clock clock) {
        return open(path, clock, BatchingWriter.DEFAULT_CAPACITY);
    }

    static H2TelemetryStore open(Path path, Clock clock, int queueCapacity) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(clock, "clock");
        return new H2TelemetryStore(TelemetryDatabase.open(path), clock, queueCapacity);
    }

    /** The database, for tests that look at the tables themselves. */
    TelemetryDatabase databaseForTests() {
        return db;
    }

    /** The database files' base path. */
    public Path path() {
        return db.path();
    }
}
