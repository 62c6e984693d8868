package io.llmservice.core.internal.routing;

import io.llmservice.Complexity;
import io.llmservice.RoutePlan;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.RoutingContext;
import io.llmservice.spi.RoutingStrategy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code cost-optimized}: picks a tier, then the cheapest compatible model of that tier among the
 * agent's tools; the agent's preference chain follows as fallbacks.
 *
 * <p>The tier: the complexity hint's tier ({@code complexity_tiers}) when the request has one;
 * else economy when the prompt is estimated at or below {@code small_prompt_tokens}; else the tier
 * of the agent's preferred model. Models whose context window is smaller than the prompt are
 * skipped; pairs of other tiers are listed as excluded so the plan explains itself.
 *
 * <p>Stateless and thread-safe.
 */
final class CostOptimizedStrategy implements RoutingStrategy {
    static final String TYPE = "cost-optimized";

    private final RoutingPolicy policy;
    private final CostEstimator costs = new CostEstimator();

    CostOptimizedStrategy(RoutingPolicy policy) {
        this.policy = policy;
    }

    /** One (tool, model) pair an agent may use. */
    private record Pair(RouteTarget target, ModelDefinition model) {
    }

    @Override
    public RoutePlan plan(RoutingContext context) {
        CandidateList list = new CandidateList(context);
        List<RouteTarget> forced = Overrides.forced(context);
        if (!forced.isEmpty()) {
            forced.forEach(t -> list.offer(t, "requested explicitly"));
            return list.toPlan(TYPE);
        }
        AgentDefinition agent = context.agent();
        LlmConfig config = context.config();
        long tokens = context.estimatedPromptTokens();

        Tier tier;
        String why;
        Optional<Complexity> hint = context.request().complexity();
        if (hint.isPresent()) {
            tier = policy.tierFor(hint.get());
            why = "complexity " + hint.get().yamlName() + " -> " + tier.yamlName();
        } else if (tokens <= policy.smallPromptTokens()) {
            tier = Tier.ECONOMY;
            why = "~" + tokens + " prompt tokens <= small_prompt_tokens " + policy.smallPromptTokens();
        } else {
            tier = config.model(agent.model()).map(ModelDefinition::tier).orElse(Tier.STANDARD);
            why = "~" + tokens + " prompt tokens > small_prompt_tokens " + policy.smallPromptTokens()
                    + ", tier of the agent's model";
        }

        // The tier's pairs, cheapest first (a stable sort: for equal prices the agent's order wins),
        // then the chain (pairs already offered are skipped), then the other tiers' pairs that are
        // not in the chain, as excluded.
        List<Pair> pairs = pairsOf(agent, config);
        List<Pair> inTier = pairs.stream()
                .filter(p -> p.model().tier() == tier)
                .sorted(Comparator.comparingDouble(p -> costs.rankingCost(p.model(), tokens)))
                .toList();
        boolean chosen = false;
        for (Pair p : inTier) {
            String reason = chosen ? "next cheapest " + tier.yamlName() + "-tier model"
                    : "cheapest " + tier.yamlName() + "-tier model (" + why + ")";
            chosen |= list.offer(p.target(), reason);
        }
        List<RouteTarget> chain = PreferenceStrategy.chain(agent);
        for (int i = 0; i < chain.size(); i++) {
            list.offer(chain.get(i), i == 0 ? "agent's preferred tool and model" : "agent's fallback #" + i);
        }
        for (Pair p : pairs) {
            if (p.model().tier() != tier) {
                list.exclude(p.target(), "tier " + p.model().tier().yamlName() + ", not the " + tier.yamlName()
                        + " tier chosen");
            }
        }
        return list.toPlan(TYPE);
    }

    /** Every (tool, model) pair of the agent's tools whose model the configuration defines, in the agent's order. */
    private static List<Pair> pairsOf(AgentDefinition agent, LlmConfig config) {
        List<Pair> pairs = new ArrayList<>();
        for (String toolName : agent.allTools()) {   // a set: each tool once
            Optional<ToolDefinition> tool = config.tool(toolName);
            if (tool.isEmpty()) {
                continue;
            }
            for (String modelId : tool.get().models().keySet()) {
                ModelDefinition model = config.models().get(modelId);
                if (model != null) {
                    pairs.add(new Pair(new RouteTarget(toolName, modelId), model));
                }
            }
        }
        return pairs;
    }
}
