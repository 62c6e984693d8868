package io.llmservice.telemetry.postgres.internal;

import io.llmservice.LlmServiceException;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresTargetTest {
    private static final Secret PW = Secret.fromVariable("PGPASSWORD", "hunter2-secret");

    private static PostgresTarget target(String url) {
        return new PostgresTarget(url, Optional.of("llm"), Optional.of(PW));
    }

    @Test
    void describe_urlAndUser_withoutUserInfoOrPasswordParameters() {
        assertThat(target("jdbc:postgresql://db.internal:5432/llm").describe())
                .isEqualTo("jdbc:postgresql://db.internal:5432/llm (user llm)");
        assertThat(target("jdbc:postgresql://llm:pw@db.internal/llm?sslmode=require&password=pw&sslpassword=x")
                .describe()).isEqualTo("jdbc:postgresql://db.internal/llm?sslmode=require (user llm)");
        assertThat(target("jdbc:postgresql://db/llm?PASSWORD=pw").safeUrl()).isEqualTo("jdbc:postgresql://db/llm");
        assertThat(new PostgresTarget("jdbc:postgresql://db/llm?user=app", Optional.empty(), Optional.empty()).describe())
                .isEqualTo("jdbc:postgresql://db/llm?user=app (user app)");
        assertThat(new PostgresTarget("jdbc:postgresql://db/llm", Optional.empty(), Optional.empty()).userName())
                .isEqualTo("(the driver's default user)");
    }

    @Test
    void hostSpec_ofTheUrl_orTheDriversDefault() {
        assertThat(target("jdbc:postgresql://db.internal:5433/llm?x=1").hostSpec()).isEqualTo("db.internal:5433");
        assertThat(target("jdbc:postgresql://a:5432,b:5432/llm").hostSpec()).isEqualTo("a:5432,b:5432");
        assertThat(target("jdbc:postgresql://u:p@[::1]:5432/llm").hostSpec()).isEqualTo("[::1]:5432");
        assertThat(target("jdbc:postgresql:llm").hostSpec()).isEqualTo("localhost:5432");
    }

    @Test
    void of_settingsWithoutUrlOrWithAnotherDatabasesUrl_isAnErrorSayingWhatToSet() {
        TelemetrySettings noUrl = TelemetrySettings.builder().store("postgres").build();
        assertThatThrownBy(() -> PostgresTarget.of(noUrl)).isInstanceOf(LlmServiceException.class)
                .hasMessage("telemetry store 'postgres' has no URL: set policies.telemetry.url, e.g."
                        + " jdbc:postgresql://HOST:5432/DATABASE");
        TelemetrySettings mysql = TelemetrySettings.builder().store("postgres").url("jdbc:mysql://db/llm")
                .build();
        assertThatThrownBy(() -> PostgresTarget.of(mysql)).isInstanceOf(LlmServiceException.class)
                .hasMessage("telemetry store 'postgres' cannot use jdbc:mysql://db/llm: policies.telemetry.url must be a"
                        + " PostgreSQL JDBC URL like jdbc:postgresql://HOST:5432/DATABASE");
    }

    @Test
    void redact_textAndWholeExceptionChains_keepingStatesAndThePoolsTimeoutType() {
        PostgresTarget t = target("jdbc:postgresql://db/llm");
        assertThat(t.redact("user \"hunter2-secret\" failed")).isEqualTo("user \"****\" failed");
        assertThat(t.toString()).doesNotContain("hunter2");

        SQLException driver = new SQLException("FATAL: role \"hunter2-secret\" does not exist", "28000");
        SQLTransientConnectionException pool = new SQLTransientConnectionException("pool timed out", "08001", driver);
        driver.setNextException(new SQLException("next: hunter2-secret", "28000"));

        SQLException r = t.redact(pool);

        assertThat((Throwable) r).isInstanceOf(SQLTransientConnectionException.class).hasMessage("pool timed out");
        assertThat(r.getSQLState()).isEqualTo("08001");
        assertThat(r.getCause()).isInstanceOf(SQLException.class).hasMessage("FATAL: role \"****\" does not exist");
        assertThat(((SQLException) r.getCause()).getSQLState()).isEqualTo("28000");
        assertThat(stackTrace(r)).doesNotContain("hunter2").contains("next: ****");
        assertThat(r.getStackTrace()).isEqualTo(pool.getStackTrace());

        SQLException clean = new SQLException("connection refused", "08001");
        assertThat((Throwable) t.redact(clean)).isSameAs(clean);
        assertThat(new PostgresTarget("jdbc:postgresql://db/llm", Optional.of("llm"), Optional.empty())
                .redact("anything")).isEqualTo("anything");
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof SQLException sql && sql.getNextException() != null) {
                sql.getNextException().printStackTrace(new PrintWriter(w));
            }
        }
        return w.toString();
    }
}
