package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.telemetry.jdbc.internal.BatchingWriter;
import io.llmservice.telemetry.jdbc.internal.JdbcTelemetryStore;

import java.time.Clock;
import java.util.Objects;

/**
 * The invocation log, budget ledger, rate-limit buckets, cooldowns and stats in one PostgreSQL database,
 * shared by every host whose {@code policies.telemetry} names it.
 *
 * <pre>{@code
 * TelemetrySettings settings = TelemetrySettings.builder().store("postgres")
 *         .url("jdbc:postgresql://db.internal:5432/llm").user("llm")
 *         .password(Secret.fromVariable("PGPASSWORD", System.getenv("PGPASSWORD"))).build();
 * try (TelemetryStore store = new PostgresTelemetryStoreProvider().open(settings, Clock.systemUTC())) {
 *     store.record(record);   // queued; returns in microseconds
 *     store.flush();          // committed
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #open} connects (an error naming URL and user when it cannot) and brings the
 * schema to this build's version; {@link #close()} drains the writer and closes the pool. Records still
 * queued when the JVM exits without it are lost; records flushed are committed.
 */
public final class PostgresTelemetryStore extends JdbcTelemetryStore {
    private final PostgresDatabase db;

    private PostgresTelemetryStore(PostgresDatabase db, Clock clock) {
        super(db, clock, BatchingWriter.DEFAULT_CAPACITY);
        this.db = db;
    }

    /** Connects to the database {@code settings} names and creates or migrates its tables. */
    public static PostgresTelemetryStore open(TelemetrySettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        PostgresTarget target = PostgresTarget.of(settings);
        PostgresDatabase db = PostgresDatabase.open(target, settings);
        try {
            SchemaMigrator.migrate(db.dataSource(), target);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new PostgresTelemetryStore(db, clock);
    }

    /** The database, for tests that look at the tables themselves. */
    PostgresDatabase databaseForTests() {
        return db;
    }
}
