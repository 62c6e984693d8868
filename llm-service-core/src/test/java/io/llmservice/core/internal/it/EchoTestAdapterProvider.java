package io.llmservice.core.internal.it;

import io.llmservice.Usage;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;


/**
 * A custom adapter known to the service only through
 * {@code src/test/resources/META-INF/services/io.llmservice.spi.ToolAdapterProvider}: it proves
 * that a new {@code type:} plugs in with no change to core. Echoes the prompt, upper-cased, and
 * the tool's {@code options.prefix}.
 */
public final class EchoTestAdapterProvider implements ToolAdapterProvider {
    @Override
    public String type() {
        return "echo-test";
    }

    @Override
    public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
        String prefix = tool.options().getOrDefault("prefix", "");
        return new ToolAdapter() {
            @Override
            public Availability availability() {
                return Availability.available("in-process echo");
            }

            @Override
            public ToolResult invoke(ToolInvocation inv) {
                return ToolResult.builder(prefix + inv.prompt().toUpperCase(java.util.Locale.ROOT) + " via "
                        + inv.toolModelName()).usage(Usage.of(inv.prompt().length(), 3, 0, 0)).build();
            }
        };
    }
}
