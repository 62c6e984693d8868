package io.llmservice.core.internal.adapter;

import io.llmservice.Ticker;
import io.llmservice.ConfigException;
import io.llmservice.config.PromptMode;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.ToolAdapterProvider;
import io.llmservice.config.OsFamily;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliToolAdapterProviderTest {

    private static final AdapterContext CONTEXT = new AdapterContext(Clock.systemUTC(), Map.of("PATH", "/nowhere"),
            OsFamily.LINUX, Ticker.system());

    private static ToolDefinition tool(List<String> args, PromptMode mode) {
        return ToolDefinition.builder().name("t").binary("t").args(args).prompt(mode).build();
    }

    @Test
    void serviceLoader_findsTheCliProvider() {
        assertThat(ServiceLoader.load(ToolAdapterProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(p -> {
                    assertThat(p).isInstanceOf(CliToolAdapterProvider.class);
                    assertThat(p.type()).isEqualTo("cli");
                });
    }

    @Test
    void create_argumentModeWithoutPromptPlaceholder_isConfigError() {
        assertThatThrownBy(() -> new CliToolAdapterProvider().create(tool(List.of("-p"), PromptMode.ARGUMENT), CONTEXT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tools.t.args: prompt: argument needs a {prompt} placeholder in args");
    }

    @Test
    void create_fileModeWithoutFilePlaceholder_isConfigError() {
        assertThatThrownBy(() -> new CliToolAdapterProvider().create(tool(List.of("{prompt}"), PromptMode.FILE), CONTEXT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("prompt: file needs a {prompt_file} placeholder in args")
                .hasMessageContaining("{prompt} is only filled with prompt: argument (prompt is file)");
    }

    @Test
    void create_stdinModeWithPromptPlaceholder_isConfigError() {
        assertThatThrownBy(() -> new CliToolAdapterProvider().create(tool(List.of("{prompt}"), PromptMode.STDIN), CONTEXT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("{prompt} is only filled with prompt: argument (prompt is stdin)");
    }

    @Test
    void availability_missingBinary_isCachedAndSaysWhereItLooked() {
        var adapter = new CliToolAdapterProvider().create(tool(List.of(), PromptMode.STDIN), CONTEXT);

        assertThat(adapter.availability().installed()).isFalse();
        assertThat(adapter.availability().detail()).startsWith("'t' not found (");
        assertThat(adapter.availability()).isEqualTo(adapter.availability());
    }
}
