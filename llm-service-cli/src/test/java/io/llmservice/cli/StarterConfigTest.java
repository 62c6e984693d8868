package io.llmservice.cli;

import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every combination of installed tools yields a configuration the real loader accepts. */
class StarterConfigTest {

    @ParameterizedTest(name = "installed mask {0}")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void render_everyCombination_isValid_withAnAgentPerInstalledToolFallingBackToTheOthers(int mask,
            @org.junit.jupiter.api.io.TempDir Path home) {
        Map<StarterConfig.KnownTool, Path> found = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            if ((mask & (1 << i)) != 0) {
                StarterConfig.KnownTool t = StarterConfig.KNOWN.get(i);
                found.put(t, Path.of("/opt/bin", t.binary()));
            }
        }
        String yaml = StarterConfig.render(found);

        LlmConfig config;
        // A throwaway HOME: the default store is opened, and must not be the user's (or a shared) one.
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("llm-service.yaml", yaml))
                .environment(Map.of("HOME", home.toString())).build()) {
            config = llm.config();
        }

        if (found.isEmpty()) {
            assertThat(yaml).contains("None of claude, codex or gemini was found on PATH");
            assertThat(config.agents()).containsOnlyKeys("assistant");
            assertThat(config.agents().get("assistant").fallbacks()).extracting(RouteTarget::tool)
                    .containsExactly("codex", "gemini-cli");
            return;
        }
        List<StarterConfig.KnownTool> installed = List.copyOf(found.keySet());
        assertThat(config.agents().keySet()).containsExactlyElementsOf(installed.stream().map(StarterConfig.KnownTool::agent).toList());
        for (StarterConfig.KnownTool t : installed) {
            AgentDefinition agent = config.agents().get(t.agent());
            assertThat(agent.tool()).isEqualTo(t.tool());
            assertThat(agent.model()).isEqualTo(t.model());
            assertThat(agent.fallbacks()).extracting(RouteTarget::tool).containsExactlyElementsOf(
                    installed.stream().filter(o -> o != t).map(StarterConfig.KnownTool::tool).toList());
            assertThat(yaml).contains("# " + t.binary() + ": found at /opt/bin/" + t.binary());
        }
        assertThat(config.policies().defaultAgent()).contains(installed.get(0).agent());
    }

    @org.junit.jupiter.api.Test
    void render_telemetryComment_namesTheStoreThatIsReallyTheDefault(@org.junit.jupiter.api.io.TempDir Path home) {
        String yaml = StarterConfig.render(Map.of());

        String defaultStore;
        // A throwaway HOME: the default store is opened, and must not be the user's (or a shared) one.
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("llm-service.yaml", yaml))
                .environment(Map.of("HOME", home.toString())).build()) {
            defaultStore = llm.config().policies().telemetry().store();
        }

        assertThat(defaultStore).as("the CLI's class path holds the H2 module").isEqualTo("h2");
        assertThat(yaml).contains("The default is the " + defaultStore + " store")
                .doesNotContain("(memory keeps them for one process only)");
    }
}
