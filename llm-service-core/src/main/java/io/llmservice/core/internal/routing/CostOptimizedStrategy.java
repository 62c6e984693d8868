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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Each agent's (tool, model) pairs, with prices as doubles for ranking, are indexed once per
 * configuration: {@code route()} runs this on every call and must stay in the microsecond range.
 */
final class CostOptimizedStrategy implements RoutingStrategy {
    static final String TYPE = "cost-optimized";

    private final RoutingPolicy policy;
    private final CostEstimator costs = new CostEstimator();
    private final Map<Complexity, String> complexityWhy = new EnumMap<>(Complexity.class);
    private final Map<Tier, String> cheapest = new EnumMap<>(Tier.class);
    private final Map<Tier, String> nextCheapest = new EnumMap<>(Tier.class);
    private final String[][] otherTier = new String[Tier.values().length][Tier.values().length];
    private volatile Index index;

    CostOptimizedStrategy(RoutingPolicy policy) {
        this.policy = policy;
        for (Complexity c : Complexity.values()) {
            complexityWhy.put(c, "complexity " + c.yamlName() + " -> " + policy.tierFor(c).yamlName());
        }
        for (Tier t : Tier.values()) {
            cheapest.put(t, "cheapest " + t.yamlName() + "-tier model (");
            nextCheapest.put(t, "next cheapest " + t.yamlName() + "-tier model");
            for (Tier chosen : Tier.values()) {
                otherTier[t.ordinal()][chosen.ordinal()] = "tier " + t.yamlName() + ", not the " + chosen.yamlName()
                        + " tier chosen";
            }
        }
    }

    /** One (tool, model) pair an agent may use, with what ranking needs; {@code inChain}: also in its preference chain. */
    private record Pair(RouteTarget target, ModelDefinition model, Tier tier, double input, double output,
                        boolean inChain) {
    }

    /**
     * An agent's pairs (distinct: one per tool and model) and preference chain, with what keeps
     * a plan free of duplicates without a set per call: {@code chainPair[i]} is the index of
     * {@code chain.get(i)} among the pairs (-1: not one of them), {@code chainRepeat[i]} whether
     * it equals an earlier entry of the chain.
     */
    private record AgentPairs(Pair[] pairs, List<RouteTarget> chain, int[] chainPair, boolean[] chainRepeat) {
    }

    /** The pairs of every agent of one configuration (identity-compared). */
    private record Index(LlmConfig config, Map<String, AgentPairs> agents) {
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
        AgentPairs pairs = pairsOf(agent, config);
        long tokens = context.estimatedPromptTokens();

        Tier tier;
        String why;
        Optional<Complexity> hint = context.request().complexity();
        if (hint.isPresent()) {
            tier = policy.tierFor(hint.get());
            why = complexityWhy.get(hint.get());
        } else if (tokens <= policy.smallPromptTokens()) {
            tier = Tier.ECONOMY;
            why = "~" + tokens + " prompt tokens <= small_prompt_tokens " + policy.smallPromptTokens();
        } else {
            tier = config.model(agent.model()).map(ModelDefinition::tier).orElse(Tier.STANDARD);
            why = "~" + tokens + " prompt tokens > small_prompt_tokens " + policy.smallPromptTokens()
                    + ", tier of the agent's model";
        }

        Pair[] inTier = new Pair[pairs.pairs.length];
        double[] cost = new double[pairs.pairs.length];
        int n = 0;
        double allowance = costs.outputAllowance(tokens);
        for (Pair p : pairs.pairs) {
            if (p.tier == tier) {
                double c = p.input * tokens + p.output * allowance;
                int i = n++;
                // insertion sort: a handful of pairs, stable for equal prices (agent's order wins)
                while (i > 0 && cost[i - 1] > c) {
                    inTier[i] = inTier[i - 1];
                    cost[i] = cost[i - 1];
                    i--;
                }
                inTier[i] = p;
                cost[i] = c;
            }
        }
        // Each pair once: the tier's pairs, then the chain's entries not among them, then the
        // other tiers' pairs that are not in the chain (those were offered by it).
        boolean first = true;
        for (int i = 0; i < n; i++) {
            String reason = first ? cheapest.get(tier) + why + ")" : nextCheapest.get(tier);
            if (list.offerDistinct(inTier[i].target, inTier[i].model, reason)) {
                first = false;
            }
        }
        List<RouteTarget> chain = pairs.chain;
        for (int i = 0; i < chain.size(); i++) {
            int p = pairs.chainPair[i];
            if (pairs.chainRepeat[i] || (p >= 0 && pairs.pairs[p].tier == tier)) {
                continue;
            }
            list.offerDistinct(chain.get(i), i == 0 ? "agent's preferred tool and model" : "agent's fallback #" + i);
        }
        for (Pair p : pairs.pairs) {
            if (p.tier != tier && !p.inChain) {
                list.excludeDistinct(p.target, otherTier[p.tier.ordinal()][tier.ordinal()]);
            }
        }
        return list.toPlan(TYPE);
    }

    private AgentPairs pairsOf(AgentDefinition agent, LlmConfig config) {
        Index idx = index;
        if (idx == null || idx.config != config) {
            idx = new Index(config, new HashMap<>());
            for (AgentDefinition a : config.agents().values()) {
                idx.agents.put(a.name(), build(a, config));
            }
            index = idx;
        }
        AgentPairs p = idx.agents.get(agent.name());
        // An agent not in the configuration (an ad-hoc one) or a different definition under the same name.
        return p != null && config.agents().get(agent.name()) == agent ? p : build(agent, config);
    }

    private static AgentPairs build(AgentDefinition agent, LlmConfig config) {
        List<RouteTarget> chain = PreferenceStrategy.chain(agent);
        List<Pair> pairs = new ArrayList<>();
        for (String toolName : agent.allTools()) {   // a set: each tool once
            Optional<ToolDefinition> tool = config.tool(toolName);
            if (tool.isEmpty()) {
                continue;
            }
            for (String modelId : tool.get().models().keySet()) {
                ModelDefinition model = config.models().get(modelId);
                if (model != null) {
                    RouteTarget target = new RouteTarget(toolName, modelId);
                    pairs.add(new Pair(target, model, model.tier(), model.pricing().input().doubleValue(),
                            model.pricing().output().doubleValue(), chain.contains(target)));
                }
            }
        }
        int[] chainPair = new int[chain.size()];
        boolean[] chainRepeat = new boolean[chain.size()];
        for (int i = 0; i < chain.size(); i++) {
            chainPair[i] = -1;
            for (int p = 0; p < pairs.size(); p++) {
                if (pairs.get(p).target.equals(chain.get(i))) {
                    chainPair[i] = p;
                }
            }
            chainRepeat[i] = chain.subList(0, i).contains(chain.get(i));
        }
        return new AgentPairs(pairs.toArray(Pair[]::new), chain, chainPair, chainRepeat);
    }
}
