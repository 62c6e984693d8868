package io.llmservice;

import java.util.Objects;

/**
 * No candidate may serve the request; {@link #plan()} says why each was excluded.
 *
 * <pre>{@code
 * try {
 *     llm.route(request).execute();
 * } catch (NoRouteException e) {
 *     System.err.println(e.plan().explain());   // every candidate and why it was excluded
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class NoRouteException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final transient RoutePlan plan;

    public NoRouteException(RoutePlan plan) {
        super(ErrorCode.NO_ROUTE, "no route for agent '" + plan.agent() + "': " + System.lineSeparator() + plan.explain());
        this.plan = Objects.requireNonNull(plan, "plan");
    }

    public RoutePlan plan() {
        return plan;
    }
}
