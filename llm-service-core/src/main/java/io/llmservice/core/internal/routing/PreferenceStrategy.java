package io.llmservice.core.internal.routing;

import io.llmservice.RoutePlan;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.spi.RoutingContext;
import io.llmservice.spi.RoutingStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code preference}: the agent's preferred tool and model, then its fallbacks in order. A
 * request that forces a tool and/or model runs only that pair.
 */
final class PreferenceStrategy implements RoutingStrategy {
    static final String TYPE = "preference";

    @Override
    public RoutePlan plan(RoutingContext context) {
        AgentDefinition agent = context.agent();
        CandidateList list = new CandidateList(context);
        List<RouteTarget> forced = Overrides.forced(context);
        if (!forced.isEmpty()) {
            for (RouteTarget t : forced) {
                list.offer(t, "requested explicitly");
            }
        } else {
            list.offer(agent.preferred(), "agent's preferred tool and model");
            int i = 1;
            for (RouteTarget f : agent.fallbacks()) {
                list.offer(f, "agent's fallback #" + i++);
            }
        }
        return list.toPlan(TYPE);
    }

    static List<RouteTarget> chain(AgentDefinition agent) {
        List<RouteTarget> all = new ArrayList<>(agent.fallbacks().size() + 1);
        all.add(agent.preferred());
        all.addAll(agent.fallbacks());
        return all;
    }
}
