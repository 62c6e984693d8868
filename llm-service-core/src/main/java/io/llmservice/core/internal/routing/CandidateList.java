package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.RoutePlan;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.core.internal.exec.BinaryResolver;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects candidates in run order, applying the exclusions every strategy shares: a pair
 * offered or excluded twice is kept once (the first time wins), a tool that is not installed
 * and a model whose context window is smaller than the prompt are excluded with the reason.
 * Not thread-safe; one per plan.
 */
final class CandidateList {
    private final RoutingContext context;
    private final Set<RouteTarget> seen = new HashSet<>();
    private final List<Candidate> runnable = new ArrayList<>();
    private final Set<String> searchesShown = new HashSet<>();
    private final List<Candidate> excluded = new ArrayList<>();

    CandidateList(RoutingContext context) {
        this.context = context;
    }

    /** Offers a pair; returns true when it may run (false also when it was offered or excluded before). */
    boolean offer(RouteTarget target, String why) {
        if (!seen.add(target)) {
            return false;
        }
        Availability availability = context.availability(target.tool());
        if (!availability.installed()) {
            excluded.add(excluded(target, "not installed: " + searchOnce(availability.detail())));
            return false;
        }
        long tokens = context.estimatedPromptTokens();
        ModelDefinition model = context.config().models().get(target.model());
        if (model != null && tokens > model.contextWindow()) {
            excluded.add(excluded(target, "context too small: ~" + tokens + " prompt tokens > context window "
                    + model.contextWindow()));
            return false;
        }
        Candidate.Status status = runnable.isEmpty() ? Candidate.Status.CHOSEN : Candidate.Status.FALLBACK;
        runnable.add(new Candidate(target.tool(), target.model(), status, why));
        return true;
    }

    /** Records a pair that was considered and left out for a strategy-specific reason (unless seen before). */
    void exclude(RouteTarget target, String why) {
        if (seen.add(target)) {
            excluded.add(excluded(target, why));
        }
    }

    /**
     * A missing tool's detail ends with where it was looked for, {@code (searched PATH /a:/b ...)}: the whole
     * PATH is shown for the first such candidate only, later ones say "the same PATH" (three missing tools
     * repeated it three times in one error line).
     */
    private String searchOnce(String detail) {
        int at = detail.indexOf(BinaryResolver.SEARCHED_PATH);
        if (at < 0 || !detail.endsWith(")")) {
            return detail;
        }
        String search = detail.substring(at, detail.length() - 1);
        if (searchesShown.add(search)) {
            return detail;
        }
        return detail.substring(0, at) + "searched the same PATH)";
    }

    private static Candidate excluded(RouteTarget target, String why) {
        return new Candidate(target.tool(), target.model(), Candidate.Status.EXCLUDED, why);
    }

    /** The candidates so far: the runnable ones in the order offered, then the excluded ones. */
    List<Candidate> candidates() {
        List<Candidate> all = new ArrayList<>(runnable);
        all.addAll(excluded);
        return all;
    }

    /** The plan: the runnable candidates in the order offered, then the excluded ones. */
    RoutePlan toPlan(String strategy) {
        return new RoutePlan(context.agent().name(), strategy, context.estimatedPromptTokens(), candidates());
    }
}
