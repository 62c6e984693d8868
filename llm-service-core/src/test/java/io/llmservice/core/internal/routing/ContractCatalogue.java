package io.llmservice.core.internal.routing;

import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;

import java.util.List;

/**
 * The configuration the built-in strategies' contract tests route over: three tools, models of
 * every tier with different prices and context windows, and agents whose preferred pairs and
 * fallbacks differ in tool, tier and context window.
 */
final class ContractCatalogue {
    private ContractCatalogue() {
    }

    static LlmConfig config() {
        // RoutingStrategyTest's catalogue (its reviewer included), with agents for the other cases
        return RoutingStrategyTest.catalogue()
                .agent("architect", "platform", "claude", "opus", new RouteTarget("claude", "sonnet"),
                        new RouteTarget("codex-cli", "codex"))
                .agent("summariser", null, "small", "tiny-context", new RouteTarget("codex-cli", "mini"),
                        new RouteTarget("claude", "haiku"))
                .agentWithTools("writer", "claude", "haiku", List.of("small", "codex-cli"))
                .build();
    }
}
