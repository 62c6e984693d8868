package io.llmservice.telemetry.postgres.internal;

import io.llmservice.LlmServiceException;
import io.llmservice.config.TelemetrySettings;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which PostgreSQL failures mean "the server went away" and which transactions are simply run again. */
class PostgresDatabaseTest {

    private static SQLException state(String s) {
        return new SQLException("x", s);
    }

    @Test
    void lost_connectionClass_shutdowns_cannotConnectNow_tooManyConnections_andThePoolsTimeout() {
        for (String s : new String[] {"08000", "08001", "08003", "08006", "57P01", "57P02", "57P03", "53300"}) {
            assertThat(PostgresDatabase.isLost(state(s))).as(s).isTrue();
            assertThat(PostgresDatabase.isPassing(state(s))).as(s).isTrue();
        }
        assertThat(PostgresDatabase.isLost(new SQLTransientConnectionException("timed out", (String) null))).isTrue();
    }

    @Test
    void passing_serialization_deadlock_lockNotAvailable_duplicateKey_butNotThePoolsTimeout() {
        for (String s : new String[] {"40001", "40P01", "55P03", "23505"}) {
            assertThat(PostgresDatabase.isPassing(state(s))).as(s).isTrue();
            assertThat(PostgresDatabase.isLost(state(s))).as(s).isFalse();
        }
        // The pool already waited connect_timeout: retrying would make the caller wait that long again.
        assertThat(PostgresDatabase.isPassing(new SQLTransientConnectionException("timed out", "08001"))).isFalse();
    }

    @Test
    void open_connectTimeoutBelowWhatThePoolTakes_isRefused_neverSilentlyReplaced() {
        TelemetrySettings settings = TelemetrySettings.builder().store("postgres").url("jdbc:postgresql://db/llm")
                .user("llm").connectTimeout(Duration.ofMillis(100)).build();

        assertThatThrownBy(() -> PostgresDatabase.open(PostgresTarget.of(settings), settings))
                .isInstanceOf(LlmServiceException.class)
                .hasMessage("telemetry store jdbc:postgresql://db/llm (user llm): policies.telemetry.connect_timeout"
                        + " 100ms is shorter than the connection pool takes (250ms): set connect_timeout: 250ms or more");
    }

    @Test
    void neither_forErrorsARetryCannotFix() {
        for (String s : new String[] {"28P01", "3D000", "42501", "42P01", "23514", "22003"}) {
            assertThat(PostgresDatabase.isPassing(state(s))).as(s).isFalse();
            assertThat(PostgresDatabase.isLost(state(s))).as(s).isFalse();
        }
        assertThat(PostgresDatabase.isPassing(new SQLException("no state"))).isFalse();
    }
}
