package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.WhenDown;
import io.llmservice.core.internal.secrets.SecretRedactor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.llmservice.core.internal.config.ConfigLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code policies.telemetry} for a server store: url, user, password (only as a <code>${VAR}</code>,
 * never shown), pool_size, connect_timeout, when_down; and the keys that do not fit the store.
 */
class TelemetryStoreConfigTest {
    private static final String PASSWORD = "Pg-s3cr3t!";
    private static final Map<String, String> ENV = Map.of("PGPASSWORD", PASSWORD);
    private static final ConfigLoader LOADER = new ConfigLoader(new KnownTypes(Set.of("cli"),
            Set.of("preference", "cost-optimized"), Set.of("limit"), Set.of("memory", "h2", "postgres")));

    private static TelemetrySettings load(String yaml, Map<String, String> env) {
        return LOADER.load(ConfigSource.text("llm.yaml", yaml), env).policies().telemetry();
    }

    private static List<String> bad(String yaml, Map<String, String> env) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> LOADER.load(ConfigSource.text("llm.yaml", yaml), env));
        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(PASSWORD);
        return e.problems().stream().map(Object::toString).toList();
    }

    @Test
    void load_postgres_everyKey() {
        TelemetrySettings t = load("""
                policies:
                  telemetry:
                    store: postgres
                    url: jdbc:postgresql://db.internal:5432/llm
                    user: llm
                    password: ${PGPASSWORD}
                    pool_size: 8
                    connect_timeout: 2s
                    when_down: run
                """, ENV);

        assertThat(t.store()).isEqualTo("postgres");
        assertThat(t.url()).contains("jdbc:postgresql://db.internal:5432/llm");
        assertThat(t.user()).contains("llm");
        assertThat(t.password()).contains(Secret.fromVariable("PGPASSWORD", PASSWORD));
        assertThat(t.poolSize()).isEqualTo(8);
        assertThat(t.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(t.whenDown()).isEqualTo(WhenDown.RUN);
        assertThat(t.toString()).doesNotContain(PASSWORD);
        assertThat(t.location()).isEqualTo("jdbc:postgresql://db.internal:5432/llm");
    }

    @Test
    void load_password_isASecretTheServiceMasks() {
        ConfigLoader.Loaded loaded = LOADER.read(ConfigSource.text("llm.yaml", "policies:\n  telemetry: {store: postgres,"
                + " url: \"jdbc:postgresql://db/llm\", user: llm, password: \"${PGPASSWORD}\"}\n"), ENV);
        SecretRedactor redactor = SecretRedactor.forConfig(loaded.config(), loaded.expandedVariables());

        assertThat(loaded.toString()).doesNotContain(PASSWORD);
        assertThat(loaded.config().toString()).doesNotContain(PASSWORD);
        assertThat(redactor.redact("FATAL: password authentication failed, tried " + PASSWORD))
                .doesNotContain(PASSWORD);
    }

    @Test
    void load_postgresMinimal_defaults() {
        TelemetrySettings t = load("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\"}\n",
                Map.of());

        assertThat(t.user()).isEmpty();
        assertThat(t.password()).isEmpty();
        assertThat(t.poolSize()).isEqualTo(4);
        assertThat(t.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.whenDown()).isEqualTo(WhenDown.REFUSE);
    }

    @Test
    void load_whenDownOnAFileStore_allowed() {
        assertThat(load("policies:\n  telemetry: {store: h2, path: /tmp/t, when_down: run}\n", Map.of()).whenDown())
                .isEqualTo(WhenDown.RUN);
    }

    @Test
    void load_literalPassword_errorAtItsPlace_neverQuotesIt() {
        assertThat(bad("policies:\n  telemetry:\n    store: postgres\n    url: jdbc:postgresql://db/llm\n"
                + "    password: " + PASSWORD + "\n", ENV)).containsExactly("llm.yaml:5:15: policies.telemetry.password:"
                + " must be an environment variable reference like ${PGPASSWORD}, never the password itself;"
                + " write password: ${PGPASSWORD} and set PGPASSWORD in the environment");
    }

    @Test
    void load_passwordWithDefaultOrText_refused() {
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\","
                + " password: \"${PGPASSWORD:-" + PASSWORD + "}\"}\n", Map.of()))
                .singleElement().asString().contains("policies.telemetry.password: must be an environment variable");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\","
                + " password: \"x${PGPASSWORD}\"}\n", ENV))
                .singleElement().asString().contains("policies.telemetry.password: must be an environment variable");
    }

    @Test
    void load_passwordVariableMissingOrEmpty_namesTheVariable() {
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\","
                + " password: \"${PGPASSWORD}\"}\n", Map.of())).singleElement().asString()
                .contains("environment variable PGPASSWORD is not set");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\","
                + " password: \"${PGPASSWORD}\"}\n", Map.of("PGPASSWORD", ""))).singleElement().asString()
                .endsWith("policies.telemetry.password: environment variable PGPASSWORD is empty; set it to the"
                        + " password of the store's user");
    }

    @Test
    void load_postgresWithoutUrl_required() {
        assertThat(bad("policies:\n  telemetry: {store: postgres}\n", Map.of())).containsExactly(
                "llm.yaml:2:14: policies.telemetry.url: is required for store: postgres;"
                        + " add url: jdbc:postgresql://HOST:5432/DATABASE");
    }

    @Test
    void load_serverKeysOnAFileStore_errorEach() {
        assertThat(bad("policies:\n  telemetry:\n    store: h2\n    url: jdbc:postgresql://db/llm\n    user: llm\n"
                + "    pool_size: 4\n", Map.of())).containsExactly(
                "llm.yaml:4:5: policies.telemetry.url: applies only to a server store (store: postgres), not to"
                        + " store: h2; remove it, or set store: postgres",
                "llm.yaml:5:5: policies.telemetry.user: applies only to a server store (store: postgres), not to"
                        + " store: h2; remove it, or set store: postgres",
                "llm.yaml:6:5: policies.telemetry.pool_size: applies only to a server store (store: postgres), not"
                        + " to store: h2; remove it, or set store: postgres");
        assertThat(bad("policies:\n  telemetry: {store: memory, password: \"${PGPASSWORD}\"}\n", ENV))
                .singleElement().asString().contains("policies.telemetry.password: applies only to a server store");
    }

    @Test
    void load_pathOnPostgres_error() {
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\", path: /tmp/x}\n",
                Map.of())).singleElement().asString().endsWith("policies.telemetry.path: applies only to a file store"
                + " (h2, memory), not to store: postgres, which is at its url; remove it");
    }

    @Test
    void load_badUrl_poolSize_timeout_whenDown_eachWithPlace() {
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm?password="
                + PASSWORD + "\"}\n", Map.of())).singleElement().asString()
                .endsWith("policies.telemetry.url: must not carry a password; remove password=... (or user:password@)"
                        + " from the url and write password: ${PGPASSWORD} (set PGPASSWORD in the environment)");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://llm:" + PASSWORD
                + "@db/llm\"}\n", Map.of())).singleElement().asString()
                .contains("policies.telemetry.url: must not carry a password").doesNotContain(PASSWORD);
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"postgres://db/llm\"}\n", Map.of()))
                .containsExactly("llm.yaml:2:37: policies.telemetry.url: must be a PostgreSQL JDBC URL like"
                        + " jdbc:postgresql://HOST:5432/DATABASE (was \"postgres://db/llm\")");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\", pool_size: 65}\n",
                Map.of())).singleElement().asString().endsWith("policies.telemetry.pool_size: must be in 1..64, e.g. 4 (was 65)");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\", pool_size: 0}\n",
                Map.of())).singleElement().asString().endsWith("policies.telemetry.pool_size: must be in 1..64, e.g. 4 (was 0)");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\","
                + " connect_timeout: soon}\n", Map.of())).singleElement().asString()
                .endsWith("policies.telemetry.connect_timeout: must be a positive duration like 90s or 10m (was \"soon\")");
        assertThat(bad("policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\", when_down: runn}\n",
                Map.of())).singleElement().asString()
                .contains("policies.telemetry.when_down: must be one of refuse, run (was \"runn\")");
    }

    @Test
    void load_unknownPostgresStore_withoutTheModule_unknownType() {
        assertThat(problems(ConfigSource.text("llm.yaml",
                "policies:\n  telemetry: {store: postgres, url: \"jdbc:postgresql://db/llm\"}\n"), Map.of()))
                .singleElement().asString().contains("policies.telemetry.store").contains("postgres");
    }
}
