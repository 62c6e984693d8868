package io.llmservice.spi;

import io.llmservice.config.ToolDefinition;

/**
 * Creates {@link ToolAdapter}s for tools whose YAML {@code type:} equals {@link #type()}.
 * Register in {@code META-INF/services/io.llmservice.spi.ToolAdapterProvider} or with
 * {@code provides} in {@code module-info.java}; must have a public no-argument constructor.
 *
 * <pre>{@code
 * public final class EchoAdapterProvider implements ToolAdapterProvider {
 *     public String type() { return "echo"; }
 *     public ToolAdapter create(ToolDefinition tool, AdapterContext context) { return new EchoAdapter(); }
 * }
 * }</pre>
 */
public interface ToolAdapterProvider {

    /** The YAML {@code type:} this provider serves, e.g. {@code cli}. */
    String type();

    /** Creates the adapter of one tool. Called once per tool when the service is built. */
    ToolAdapter create(ToolDefinition tool, AdapterContext context);
}
