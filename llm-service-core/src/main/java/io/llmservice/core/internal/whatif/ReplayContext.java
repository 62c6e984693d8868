package io.llmservice.core.internal.whatif;

import io.llmservice.LlmRequest;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;

/**
 * The routing context of a replayed request: its agent and route input under the proposed
 * configuration, and every tool taken as installed (a replay does not look for binaries: the proposed
 * configuration may name tools this machine does not have).
 */
record ReplayContext(LlmRequest request, AgentDefinition agent, LlmConfig config, long estimatedPromptTokens)
        implements RoutingContext {
    private static final Availability ASSUMED = Availability.available("assumed installed (what-if replay)");

    @Override
    public Availability availability(String tool) {
        return ASSUMED;
    }
}
