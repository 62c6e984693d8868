package io.llmservice.spi;

import io.llmservice.RoutePlan;

/**
 * Decides which candidates serve a request and in what order. Must do no I/O beyond
 * {@link RoutingContext#availability(String)} and be fast: it runs on every {@code route()}.
 * Thread-safe; one instance serves all requests.
 *
 * <pre>{@code
 * final class PreferredOnly implements RoutingStrategy {
 *     public RoutePlan plan(RoutingContext ctx) {
 *         AgentDefinition a = ctx.agent();
 *         Candidate only = new Candidate(a.tool(), a.model(), Candidate.Status.CHOSEN, "the agent's preferred pair");
 *         return new RoutePlan(a.name(), "preferred-only", ctx.estimatedPromptTokens(), List.of(only));
 *     }
 * }
 * }</pre>
 */
public interface RoutingStrategy {

    /** Builds the plan: runnable candidates first, in run order, then excluded ones with reasons. */
    RoutePlan plan(RoutingContext context);
}
