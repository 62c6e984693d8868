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
 */
final class CostOptimizedStrategy implements RoutingStrategy {
    static final String TYPE = "cost-optimized";

    private final RoutingPolicy policy;
    private final CostEstimator costs = new CostEstimator();

    CostOptimizedStrategy(RoutingPolicy policy) {
        this.policy = policy;
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
        TierChoice choice = chooseTier(context, agent, config, tokens);

        List<Pair> inTier = new ArrayList<>();
        List<Pair> otherTiers = new ArrayList<>();
        for (String toolName : agent.allTools()) {
            Optional<ToolDefinition> tool = config.tool(toolName);
            if (tool.isEmpty()) {
                continue;
            }
            for (String modelId : tool.get().models().keySet()) {
                ModelDefinition model = config.models().get(modelId);
                if (model == null) {
                    continue;
                }
                Pair pair = new Pair(new RouteTarget(toolName, modelId), model, costs.rankingCost(model, tokens));
                (model.tier() == choice.tier ? inTier : otherTiers).add(pair);
            }
        }
        inTier.sort(Comparator.comparingDouble(Pair::cost));
        boolean first = true;
        for (Pair p : inTier) {
            String why = (first ? "cheapest " : "next cheapest ") + choice.tier.yamlName() + "-tier model ("
                    + choice.why + ")";
            if (list.offer(p.target, why)) {
                first = false;
            }
        }
        int i = 0;
        for (RouteTarget t : PreferenceStrategy.chain(agent)) {
            list.offer(t, i++ == 0 ? "agent's preferred tool and model" : "agent's fallback #" + (i - 1));
        }
        for (Pair p : otherTiers) {
            list.exclude(p.target, "tier " + p.model.tier().yamlName() + ", not the " + choice.tier.yamlName()
                    + " tier chosen (" + choice.why + ")");
        }
        return list.toPlan(TYPE);
    }

    private TierChoice chooseTier(RoutingContext context, AgentDefinition agent, LlmConfig config, long tokens) {
        Optional<Complexity> hint = context.request().complexity();
        if (hint.isPresent()) {
            Tier t = policy.tierFor(hint.get());
            return new TierChoice(t, "complexity " + hint.get().yamlName() + " -> " + t.yamlName());
        }
        if (tokens <= policy.smallPromptTokens()) {
            return new TierChoice(Tier.ECONOMY, "~" + tokens + " prompt tokens <= small_prompt_tokens "
                    + policy.smallPromptTokens());
        }
        Tier preferred = config.model(agent.model()).map(ModelDefinition::tier).orElse(Tier.STANDARD);
        return new TierChoice(preferred, "~" + tokens + " prompt tokens > small_prompt_tokens "
                + policy.smallPromptTokens() + ", tier of the agent's model");
    }

    private record TierChoice(Tier tier, String why) {
    }

    private record Pair(RouteTarget target, ModelDefinition model, double cost) {
    }
}
