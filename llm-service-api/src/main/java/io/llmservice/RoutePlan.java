package io.llmservice;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The router's decision for one request, explainable: every candidate it considered, in the
 * order they would run, with why each was chosen, kept as a fallback or excluded.
 *
 * <pre>{@code
 * RoutePlan plan = llm.route(request).plan();
 * System.out.println(plan.explain());
 * plan.chosen().ifPresent(c -> System.out.println("will run " + c.tool() + "/" + c.model()));
 * }</pre>
 *
 * @param agent            the agent the request was routed for
 * @param strategy         the routing strategy's type name
 * @param estimatedTokens  the prompt's estimated token count used for routing
 * @param candidates       runnable candidates first in run order, then excluded ones
 */
public record RoutePlan(String agent, String strategy, long estimatedTokens, List<Candidate> candidates) {

    public RoutePlan {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(strategy, "strategy");
        candidates = List.copyOf(candidates);
    }

    /** The candidate that runs first; empty when nothing may run. */
    public Optional<Candidate> chosen() {
        return candidates.stream().filter(c -> c.status() == Candidate.Status.CHOSEN).findFirst();
    }

    /** The candidates that may run, in order (chosen first). */
    public List<Candidate> runnable() {
        return candidates.stream().filter(Candidate::runnable).collect(Collectors.toUnmodifiableList());
    }

    /** The candidates that were excluded, with reasons. */
    public List<Candidate> excluded() {
        return candidates.stream().filter(c -> !c.runnable()).collect(Collectors.toUnmodifiableList());
    }

    /** A multi-line, human-readable account of the decision. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append("agent ").append(agent).append(", strategy ").append(strategy)
                .append(", ~").append(estimatedTokens).append(" prompt tokens");
        for (Candidate c : candidates) {
            sb.append(System.lineSeparator()).append("  ").append(c);
        }
        if (chosen().isEmpty()) {
            sb.append(System.lineSeparator()).append("  (no candidate may run)");
        }
        return sb.toString();
    }
}
