package io.llmservice.core.internal.routing;

import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.TestConfigs;

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
        return TestConfigs.create()
                .model("haiku", Tier.ECONOMY, 200_000, "1", "5")
                .model("sonnet", Tier.STANDARD, 200_000, "3", "15")
                .model("opus", Tier.PREMIUM, 200_000, "5", "25")
                .model("mini", Tier.ECONOMY, 400_000, "0.25", "2")
                .model("codex", Tier.STANDARD, 400_000, "1.25", "10")
                .model("tiny-context", Tier.ECONOMY, 1_000, "0.01", "0.02")
                .tool("claude", "cli", "haiku", "sonnet", "opus")
                .tool("codex-cli", "cli", "mini", "codex")
                .tool("small", "cli", "tiny-context")
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"))
                .agent("architect", "platform", "claude", "opus", new RouteTarget("claude", "sonnet"),
                        new RouteTarget("codex-cli", "codex"))
                .agent("summariser", null, "small", "tiny-context", new RouteTarget("codex-cli", "mini"),
                        new RouteTarget("claude", "haiku"))
                .agentWithTools("writer", "claude", "haiku", List.of("small", "codex-cli"))
                .build();
    }
}
