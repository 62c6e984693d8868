package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.Complexity;
import io.llmservice.LlmRequest;
import io.llmservice.RoutePlan;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.Tier;
import io.llmservice.core.internal.TestConfigs;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

class RoutingStrategyTest {

    static TestConfigs catalogue() {
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
                .agent("reviewer", "platform", "claude", "sonnet", new RouteTarget("codex-cli", "codex"));
    }

    private static RoutingContext context(LlmConfig config, String agent, LlmRequest request, long tokens,
                                          Set<String> missing) {
        AgentDefinition a = config.agent(agent).orElseThrow();
        return new RoutingContext() {
            public LlmRequest request() {
                return request;
            }

            public AgentDefinition agent() {
                return a;
            }

            public LlmConfig config() {
                return config;
            }

            public long estimatedPromptTokens() {
                return tokens;
            }

            public Availability availability(String tool) {
                return missing.contains(tool) ? Availability.missing("'" + tool + "' not found on PATH")
                        : Availability.available("test");
            }
        };
    }

    private static LlmRequest request() {
        return LlmRequest.builder("x").agent("reviewer").build();
    }

    @Test
    void preference_runsPreferredThenFallbacksInOrder() {
        LlmConfig config = catalogue().build();
        RoutePlan plan = new PreferenceStrategy().plan(context(config, "reviewer", request(), 100, Set.of()));
        assertThat(plan.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status, Candidate::reason)
                .containsExactly(
                        tuple("claude", "sonnet", Candidate.Status.CHOSEN, "agent's preferred tool and model"),
                        tuple("codex-cli", "codex", Candidate.Status.FALLBACK, "agent's fallback #1"));
        assertThat(plan.strategy()).isEqualTo("preference");
    }

    @Test
    void preference_notInstalled_excludedWithReasonAndFallbackChosen() {
        LlmConfig config = catalogue().build();
        RoutePlan plan = new PreferenceStrategy().plan(context(config, "reviewer", request(), 100, Set.of("claude")));
        assertThat(plan.chosen()).hasValueSatisfying(c -> assertThat(c.tool()).isEqualTo("codex-cli"));
        assertThat(plan.excluded()).extracting(Candidate::reason)
                .containsExactly("not installed: 'claude' not found on PATH");
        assertThat(plan.explain()).contains("claude/sonnet excluded: not installed");
    }

    @Test
    void preference_noneInstalled_explainsThePathSearchedOnce() {
        LlmConfig config = catalogue().build();
        String path = "/usr/local/bin:/usr/bin:/bin:/home/u/.local/bin";
        AgentDefinition a = config.agent("reviewer").orElseThrow();
        LlmRequest req = request();
        RoutingContext ctx = new RoutingContext() {
            public LlmRequest request() {
                return req;
            }

            public AgentDefinition agent() {
                return a;
            }

            public LlmConfig config() {
                return config;
            }

            public long estimatedPromptTokens() {
                return 100;
            }

            public Availability availability(String tool) {
                return Availability.missing("'" + tool + "' not found (searched PATH " + path + ")");
            }
        };

        RoutePlan plan = new PreferenceStrategy().plan(ctx);

        assertThat(plan.chosen()).isEmpty();
        assertThat(plan.excluded()).extracting(Candidate::reason).containsExactly(
                "not installed: 'claude' not found (searched PATH " + path + ")",
                "not installed: 'codex-cli' not found (searched the same PATH)");
        assertThat(plan.explain().split(path, -1)).as(plan.explain()).hasSize(2);
    }

    @Test
    void route_contextTooSmall_skipsModel() {
        LlmConfig config = catalogue().build();
        RoutePlan plan = new PreferenceStrategy().plan(context(config, "reviewer", request(), 300_000, Set.of()));
        assertThat(plan.chosen()).hasValueSatisfying(c -> assertThat(c.model()).isEqualTo("codex"));
        assertThat(plan.excluded()).extracting(Candidate::model, Candidate::reason).containsExactly(
                tuple("sonnet", "context too small: ~300000 prompt tokens > context window 200000"));
    }

    @Test
    void costOptimized_smallPrompt_picksCheapestEconomyModelAmongAgentTools() {
        LlmConfig config = catalogue().build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "reviewer", request(), 500, Set.of()));
        // mini ($0.25/$2) is cheaper than haiku ($1/$5); "small" is not one of the agent's tools.
        assertThat(plan.runnable()).extracting(Candidate::tool, Candidate::model).containsExactly(
                tuple("codex-cli", "mini"), tuple("claude", "haiku"), tuple("claude", "sonnet"),
                tuple("codex-cli", "codex"));
        assertThat(plan.chosen().orElseThrow().reason())
                .isEqualTo("cheapest economy-tier model (~500 prompt tokens <= small_prompt_tokens 2000)");
        assertThat(plan.excluded()).extracting(Candidate::model).containsExactly("opus");
        assertThat(plan.excluded().get(0).reason()).isEqualTo("tier premium, not the economy tier chosen");
    }

    @Test
    void costOptimized_complexHint_picksPremium() {
        LlmConfig config = catalogue().build();
        LlmRequest complex = LlmRequest.builder("x").agent("reviewer").complexity(Complexity.COMPLEX).build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "reviewer", complex, 500, Set.of()));
        assertThat(plan.chosen()).hasValueSatisfying(c -> {
            assertThat(c.model()).isEqualTo("opus");
            assertThat(c.reason()).isEqualTo("cheapest premium-tier model (complexity complex -> premium)");
        });
    }

    @Test
    void costOptimized_largePromptWithoutHint_usesTierOfAgentsModel() {
        LlmConfig config = catalogue().build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "reviewer", request(), 5_000, Set.of()));
        // standard tier: codex ($1.25/$10) before sonnet ($3/$15)
        assertThat(plan.runnable()).extracting(Candidate::model).startsWith("codex", "sonnet");
        // The agent's chain (claude/sonnet, codex-cli/codex) is that tier's pairs: each is listed once.
        assertThat(plan.runnable()).extracting(Candidate::tool, Candidate::model).containsExactly(
                tuple("codex-cli", "codex"), tuple("claude", "sonnet"));
        assertThat(plan.excluded()).extracting(Candidate::model).containsExactlyInAnyOrder("haiku", "opus", "mini");
    }

    @Test
    void costOptimized_chainOfAnotherTier_runsAfterTheTier_andIsNotAlsoExcluded() {
        LlmConfig config = catalogue().build();
        LlmRequest complex = LlmRequest.builder("x").agent("reviewer").complexity(Complexity.COMPLEX).build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "reviewer", complex, 500, Set.of("codex-cli")));

        assertThat(plan.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status).containsExactly(
                tuple("claude", "opus", Candidate.Status.CHOSEN),
                tuple("claude", "sonnet", Candidate.Status.FALLBACK),
                tuple("codex-cli", "codex", Candidate.Status.EXCLUDED),
                tuple("claude", "haiku", Candidate.Status.EXCLUDED),
                tuple("codex-cli", "mini", Candidate.Status.EXCLUDED));
        assertThat(plan.excluded().get(0).reason()).startsWith("not installed");
    }

    @Test
    void costOptimized_contextTooSmall_skipsModelAndTakesNextCheapest() {
        LlmConfig config = TestConfigs.create()
                .model("tiny-context", Tier.ECONOMY, 1_000, "0.01", "0.02")
                .model("haiku", Tier.ECONOMY, 200_000, "1", "5")
                .tool("small", "cli", "tiny-context")
                .tool("claude", "cli", "haiku")
                .agentWithTools("writer", "claude", "haiku", List.of("small"))
                .build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "writer", LlmRequest.builder("x").agent("writer").build(), 1_500, Set.of()));
        assertThat(plan.chosen()).hasValueSatisfying(c -> assertThat(c.model()).isEqualTo("haiku"));
        assertThat(plan.excluded()).extracting(Candidate::model).containsExactly("tiny-context");
    }

    @Test
    void costOptimized_forcedPair_runsOnlyIt() {
        LlmConfig config = catalogue().build();
        LlmRequest forced = LlmRequest.builder("x").agent("reviewer").tool("claude").model("opus").build();
        RoutePlan plan = new CostOptimizedStrategy(RoutingPolicy.defaults())
                .plan(context(config, "reviewer", forced, 10, Set.of()));
        assertThat(plan.candidates()).extracting(Candidate::model, Candidate::reason)
                .containsExactly(tuple("opus", "requested explicitly"));
    }

    @Test
    void preference_modelOverrideOnly_usesAgentToolsSupportingIt() {
        LlmConfig config = catalogue().build();
        LlmRequest forced = LlmRequest.builder("x").agent("reviewer").model("mini").build();
        RoutePlan plan = new PreferenceStrategy().plan(context(config, "reviewer", forced, 10, Set.of()));
        assertThat(plan.candidates()).extracting(Candidate::tool, Candidate::model)
                .containsExactly(tuple("codex-cli", "mini"));
    }
}
