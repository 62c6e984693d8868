package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.Privacy;
import io.llmservice.config.TelemetrySettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.llmservice.core.internal.config.ConfigLoaderTest.LOADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The telemetry settings a load hands out before it validates, so that the store can start opening. */
class ConfigLoaderEarlyTelemetryTest {
    private static final String AGENT = """
            agents:
              coder: {tool: claude-code, model: claude-sonnet-4-5}
            """;

    @Test
    void load_goodConfig_handsOutTheSettingsItReturns_once() {
        List<TelemetrySettings> early = new ArrayList<>();
        LlmConfig config = LOADER.load(ConfigSource.text("t.yaml", AGENT + """
                policies:
                  telemetry: {store: h2, path: /var/lib/llm/telemetry, privacy: full}
                """), Map.of(), early::add);

        assertThat(early).containsExactly(new TelemetrySettings("h2", Path.of("/var/lib/llm/telemetry"), Privacy.FULL));
        assertThat(early.get(0)).isEqualTo(config.policies().telemetry());
    }

    @Test
    void load_problemFoundWhileBinding_handsOutNothing() {
        List<TelemetrySettings> early = new ArrayList<>();
        assertThatThrownBy(() -> LOADER.load(ConfigSource.text("t.yaml", AGENT + """
                policies:
                  telemetry: {store: h2, path: /tmp/t, privacy: everything}
                """), Map.of(), early::add)).isInstanceOf(ConfigException.class);

        assertThat(early).isEmpty();
    }

    @Test
    void load_missingVariable_handsOutNothing() {
        List<TelemetrySettings> early = new ArrayList<>();
        assertThatThrownBy(() -> LOADER.load(ConfigSource.text("t.yaml", """
                agents:
                  coder: {tool: claude-code, model: claude-sonnet-4-5, team: "${LLM_TEST_UNSET_TEAM}"}
                policies:
                  telemetry: {store: h2, path: /tmp/t}
                """), Map.of(), early::add)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LLM_TEST_UNSET_TEAM");

        assertThat(early).isEmpty();
    }

    @Test
    void load_problemOnlyTheValidatorFinds_hasHandedOutTheSettings_andStillFails() {
        // A store may start opening before the constraints are checked; the caller closes it when the load fails.
        List<TelemetrySettings> early = new ArrayList<>();
        assertThatThrownBy(() -> LOADER.load(ConfigSource.text("t.yaml", AGENT + """
                policies:
                  telemetry: {store: h2, path: /tmp/t}
                  max_reservation_usd: -1
                """), Map.of(), early::add)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_reservation_usd");

        assertThat(early).containsExactly(new TelemetrySettings("h2", Path.of("/tmp/t"), Privacy.METADATA));
    }
}
