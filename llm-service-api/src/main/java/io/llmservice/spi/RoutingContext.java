package io.llmservice.spi;

import io.llmservice.LlmRequest;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;

/**
 * What a {@link RoutingStrategy} may consult. Implemented by the service; thread-safe.
 *
 * <pre>{@code
 * // in a RoutingStrategy
 * AgentDefinition agent = ctx.agent();
 * boolean preferredInstalled = ctx.availability(agent.tool()).installed();
 * boolean small = ctx.estimatedPromptTokens() <= ctx.config().policies().routing().smallPromptTokens();
 * }</pre>
 */
public interface RoutingContext {

    /** The request being routed. */
    LlmRequest request();

    /** The agent the request runs for (the request's agent, or the default agent). */
    AgentDefinition agent();

    /** The whole configuration. */
    LlmConfig config();

    /** The prompt's estimated token count. */
    long estimatedPromptTokens();

    /** Whether a configured tool can run here (cached; no process is started). */
    Availability availability(String tool);
}
