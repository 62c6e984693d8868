package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.Session;
import io.llmservice.config.RouteTarget;
import io.llmservice.config.ToolDefinition;
import io.llmservice.spi.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a request's session to whatever plan the routing strategy made, so every strategy
 * (built-in or not) honours it: a tool without {@code session:} cannot keep or continue a
 * conversation and is excluded with that reason; a request that continues a {@link Session}
 * runs on the session's tool first — every candidate of that tool continues it — and the other
 * candidates stay as fallbacks that start a new session. When the strategy did not offer the
 * session's tool, it is added with the request's model, else the agent's, after the same
 * installed and context-window checks the strategies run; a model the tool does not run is an
 * {@code INVALID_REQUEST}, never silently replaced.
 *
 * <pre>{@code
 * RoutePlan plan = SessionPinning.pin(strategy.plan(context), context);
 * }</pre>
 *
 * <p>Stateless.
 */
public final class SessionPinning {
    static final String NO_SESSION = "cannot keep or continue a session: the tool has no session: in its definition";

    private SessionPinning() {
    }

    /**
     * The plan for the context's request; {@code plan} itself when the request keeps no session.
     *
     * @throws LlmServiceException {@code INVALID_REQUEST} when the session's tool must be added and runs neither
     *                             the requested model nor the agent's
     */
    public static RoutePlan pin(RoutePlan plan, RoutingContext context) {
        LlmRequest request = context.request();
        if (!request.keepsSession()) {
            return plan;
        }
        List<Candidate> runnable = new ArrayList<>();
        List<Candidate> excluded = new ArrayList<>();
        for (Candidate c : plan.candidates()) {
            if (!c.runnable()) {
                excluded.add(c);
            } else if (context.config().tool(c.tool()).flatMap(ToolDefinition::session).isEmpty()) {
                excluded.add(new Candidate(c.tool(), c.model(), Candidate.Status.EXCLUDED, NO_SESSION));
            } else {
                runnable.add(c);
            }
        }
        if (request.session().isPresent()) {
            Session session = request.session().get();
            List<Candidate> owners = new ArrayList<>();
            List<Candidate> others = new ArrayList<>();
            for (Candidate c : runnable) {
                if (c.tool().equals(session.tool())) {
                    owners.add(new Candidate(c.tool(), c.model(), c.status(),
                            "continues session " + session + " (" + c.reason() + ")"));
                } else {
                    others.add(new Candidate(c.tool(), c.model(), c.status(), c.reason() + "; starts a new session ("
                            + session + " belongs to " + session.tool() + ")"));
                }
            }
            boolean ownerExcluded = excluded.stream().anyMatch(c -> c.tool().equals(session.tool()));
            if (owners.isEmpty() && !ownerExcluded) {
                // The same checks a strategy runs for a pair it offers (installed, context window).
                CandidateList added = new CandidateList(context);
                added.offer(new RouteTarget(session.tool(), ownerModel(session, context)),
                        "continues session " + session);
                Candidate owner = added.candidates().get(0);
                (owner.runnable() ? owners : excluded).add(owner);
            }
            runnable = owners;
            runnable.addAll(others);
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

    /** The request's model, else the agent's, when the session's tool runs it; otherwise the request is invalid. */
    private static String ownerModel(Session session, RoutingContext context) {
        ToolDefinition tool = context.config().tool(session.tool()).orElseThrow();
        String supported = " (it supports: " + String.join(", ", tool.models().keySet().stream().sorted().toList())
                + ")";
        if (context.request().model().isPresent()) {
            String wanted = context.request().model().get();
            if (tool.supports(wanted)) {
                return wanted;
            }
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "session " + session + " runs on tool '"
                    + session.tool() + "', which does not support the requested model '" + wanted + "'" + supported
                    + "; pass one of its models with .model(..) / --model, or start a new session with .newSession()");
        }
        String agentModel = context.agent().model();
        if (tool.supports(agentModel)) {
            return agentModel;
        }
        throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "session " + session + " runs on tool '"
                + session.tool() + "', which does not support agent '" + context.agent().name() + "''s model '"
                + agentModel + "'" + supported + "; choose one with .model(..) / --model");
    }
}
