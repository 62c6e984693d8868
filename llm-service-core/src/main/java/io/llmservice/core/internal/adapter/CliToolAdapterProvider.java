package io.llmservice.core.internal.adapter;

import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolAdapterProvider;

/**
 * The provider of the generic YAML-driven adapter, YAML {@code type: cli}. Found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services} and core's
 * {@code module-info}.
 *
 * <pre>{@code
 * ToolAdapter adapter = new CliToolAdapterProvider().create(tool, context);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class CliToolAdapterProvider implements ToolAdapterProvider {

    /** The YAML {@code type:} of the generic adapter. */
    public static final String TYPE = "cli";

    public CliToolAdapterProvider() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Creates the adapter of one {@code type: cli} tool.
     *
     * @throws io.llmservice.ConfigException when its {@code args} and {@code prompt} do not fit together
     */
    @Override
    public ToolAdapter create(ToolDefinition tool, AdapterContext context) {
        return new CliToolAdapter(tool, context);
    }
}
