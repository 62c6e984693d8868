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

    /**
     * As {@link #NoRouteException(RoutePlan)}, saying first what matters most, e.g. {@code every
     * candidate is cooling down; the first, codex/gpt-5, may run again in 4m12s}.
     */
    public NoRouteException(RoutePlan plan, String summary) {
        super(ErrorCode.NO_ROUTE, "no route for agent '" + plan.agent() + "': " + Objects.requireNonNull(summary,
                "summary") + System.lineSeparator() + plan.explain());
        this.plan = plan;
    }

    public RoutePlan plan() {
        return plan;
    }
}
