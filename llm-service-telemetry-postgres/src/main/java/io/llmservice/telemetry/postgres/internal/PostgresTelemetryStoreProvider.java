package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import io.llmservice.telemetry.jdbc.internal.Sql;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

/**
 * {@code store: postgres}: a PostgreSQL database that every host of a team names, holding one budget
 * ledger and one invocation log for all of them.
 *
 * <pre>{@code
 * policies:
 *   telemetry:
 *     store: postgres
 *     url: jdbc:postgresql://db.internal:5432/llm
 *     user: llm
 *     password: ${PGPASSWORD}
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PostgresTelemetryStoreProvider implements TelemetryStoreProvider {
    public static final String TYPE = "postgres";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public TelemetryStore open(TelemetrySettings settings, Clock clock) {
        return PostgresTelemetryStore.open(settings, clock);
    }

    /**
     * Reads the store back without creating or migrating anything: a database without the store's
     * tables fails the check and stays as it was.
     */
    @Override
    public StoreCheck check(TelemetrySettings settings, Clock clock) {
        PostgresTarget target = PostgresTarget.of(settings);
        try (PostgresDatabase db = PostgresDatabase.open(target, settings); Connection c = db.connection()) {
            return db.check(c);
        } catch (SQLException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry: could not check the store at "
                    + target.describe() + ": " + Sql.oneLine(target.redact(e).getMessage()), target.redact(e));
        }
    }
}
