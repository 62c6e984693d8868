package io.llmservice.core.internal.it;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A store whose provider says it exists opens while the configuration is validated: used by the
 * service when the configuration is valid, closed before {@code build()} throws when it is not,
 * never opened when the caller gives its own store. Through the real factory, found by ServiceLoader.
 */
class EarlyStoreOpeningIT {
    private static final String CONFIG = """
            agents:
              coder: {tool: claude-code, model: claude-sonnet-4-5}
            policies:
              telemetry: {store: early-test, path: /nonexistent/early}
            """;

    @BeforeEach
    void reset() {
        EarlyTestStoreProvider.OPENED.set(0);
        EarlyTestStoreProvider.CLOSED.set(0);
    }

    @Test
    void validConfig_theEarlyOpenedStoreIsTheServicesStore_openedOnce() {
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("early.yaml", CONFIG)).build()) {
            assertThat(llm.config().policies().telemetry().store()).isEqualTo(EarlyTestStoreProvider.TYPE);
            assertThat(EarlyTestStoreProvider.OPENED.get()).isEqualTo(1);
            assertThat(EarlyTestStoreProvider.CLOSED.get()).isZero();
        }
        assertThat(EarlyTestStoreProvider.CLOSED.get()).isEqualTo(1);
    }

    @Test
    void configOnlyTheValidatorRejects_theEarlyOpenedStoreIsClosedBeforeBuildThrows() {
        assertThatThrownBy(() -> LlmService.builder().config(ConfigSource.text("early.yaml",
                CONFIG + "  max_reservation_usd: -1\n")).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_reservation_usd");

        assertThat(EarlyTestStoreProvider.OPENED.get()).isEqualTo(1);
        assertThat(EarlyTestStoreProvider.CLOSED.get()).isEqualTo(1);
    }

    @Test
    void configWithAProblemWhileBinding_opensNothing() {
        assertThatThrownBy(() -> LlmService.builder().config(ConfigSource.text("early.yaml",
                CONFIG.replace("coder: {", "coder: {colour: blue, "))).build())
                .isInstanceOf(ConfigException.class).hasMessageContaining("colour");

        assertThat(EarlyTestStoreProvider.OPENED.get()).isZero();
    }

    @Test
    void aStoreTheCallerGives_nothingIsOpenedEarly() {
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("early.yaml", CONFIG))
                .telemetryStore(new InMemoryTelemetryStore()).build()) {
            assertThat(llm.config().agents()).containsKey("coder");
        }
        assertThat(EarlyTestStoreProvider.OPENED.get()).isZero();
    }
}
