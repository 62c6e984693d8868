package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.LlmRequest;
import io.llmservice.RoutePlan;
import io.llmservice.Session;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ToolDefinition;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a request's session to whatever plan the routing strategy made, so every strategy
 * (built-in or not) honours it: a tool without {@code session:} cannot keep or continue a
 * conversation and is excluded with that reason; a request that continues a {@link Session}
 * runs on the session's tool first (added when the strategy did not offer it), and the other
 * candidates stay as fallbacks that start a new session.
 *
 * <pre>{@code
 * RoutePlan plan = SessionPinning.pin(strategy.plan(context), request, agent, config);
 * }</pre>
 *
 * <p>Stateless.
 */
public final class SessionPinning {
    static final String NO_SESSION = "cannot keep or continue a session: the tool has no session: in its definition";

    private SessionPinning() {
    }

    /** The plan for {@code request}; {@code plan} itself when the request keeps no session. */
    public static RoutePlan pin(RoutePlan plan, LlmRequest request, AgentDefinition agent, LlmConfig config) {
        if (!request.keepsSession()) {
            return plan;
        }
        List<Candidate> runnable = new ArrayList<>();
        List<Candidate> excluded = new ArrayList<>();
        for (Candidate c : plan.candidates()) {
            if (!c.runnable()) {
                excluded.add(c);
            } else if (config.tool(c.tool()).flatMap(ToolDefinition::session).isEmpty()) {
                excluded.add(new Candidate(c.tool(), c.model(), Candidate.Status.EXCLUDED, NO_SESSION));
            } else {
                runnable.add(c);
            }
        }
        if (request.session().isPresent()) {
            Session session = request.session().get();
            Candidate owner = runnable.stream().filter(c -> c.tool().equals(session.tool())).findFirst()
                    .orElse(null);
            runnable.removeIf(c -> c == owner);
            List<Candidate> others = new ArrayList<>();
            for (Candidate c : runnable) {
                others.add(new Candidate(c.tool(), c.model(), c.status(), c.reason() + "; starts a new session ("
                        + session + " belongs to " + session.tool() + ")"));
            }
            runnable = others;
            boolean ownerExcluded = excluded.stream().anyMatch(c -> c.tool().equals(session.tool()));
            if (owner != null) {
                runnable.add(0, new Candidate(owner.tool(), owner.model(), owner.status(),
                        "continues session " + session + " (" + owner.reason() + ")"));
            } else if (!ownerExcluded) {
                runnable.add(0, new Candidate(session.tool(), ownerModel(session.tool(), request, agent, config),
                        Candidate.Status.CHOSEN, "continues session " + session));
            }
        }
        List<Candidate> all = new ArrayList<>(runnable.size() + excluded.size());
        for (int i = 0; i < runnable.size(); i++) {
            Candidate c = runnable.get(i);
            all.add(new Candidate(c.tool(), c.model(), i == 0 ? Candidate.Status.CHOSEN : Candidate.Status.FALLBACK,
                    c.reason()));
        }
        all.addAll(excluded);
        return new RoutePlan(plan.agent(), plan.strategy(), plan.estimatedTokens(), all);
    }

    /** The request's model, else the agent's, when the session's tool runs it; else the tool's first model. */
    private static String ownerModel(String tool, LlmRequest request, AgentDefinition agent, LlmConfig config) {
        ToolDefinition definition = config.tool(tool).orElseThrow();
        String wanted = request.model().orElse(agent.model());
        return definition.supports(wanted) ? wanted : definition.models().keySet().iterator().next();
    }
}
