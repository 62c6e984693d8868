package io.llmservice.core.internal.routing;

import io.llmservice.Candidate;
import io.llmservice.RoutePlan;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.RouteTarget;
import io.llmservice.spi.Availability;
import io.llmservice.spi.RoutingContext;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects candidates in run order, applying the exclusions every strategy shares: a pair
 * offered twice is kept once (unless the strategy vouches that its pairs are distinct), a tool
 * that is not installed and a model whose context window is smaller than the prompt are excluded
 * with the reason. Not thread-safe; one per plan.
 */
final class CandidateList {
    private final RoutingContext context;
    private final List<Candidate> runnable = new ArrayList<>();
    private final List<Candidate> excluded = new ArrayList<>();
    /** The pairs offered or excluded so far; made on first need (see {@link #offerDistinct}). */
    private Set<RouteTarget> seen;

    CandidateList(RoutingContext context) {
        this.context = context;
    }

    /** Offers a pair; returns true when it may run. */
    boolean offer(RouteTarget target, String why) {
        return firstSight(target) && offerDistinct(target, why);
    }

    /**
     * Offers a pair the caller knows it has not offered or excluded before, with no duplicate
     * check — for a strategy whose pairs are distinct by construction, on every call of
     * {@code route()}. Not to be mixed with {@link #offer} and {@link #exclude} in one plan.
     */
    boolean offerDistinct(RouteTarget target, String why) {
        return offerDistinct(target, context.config().models().get(target.model()), why);
    }

    /** As {@link #offerDistinct(RouteTarget, String)}, with the target's model definition at hand (null: unknown). */
    boolean offerDistinct(RouteTarget target, ModelDefinition model, String why) {
        Availability availability = context.availability(target.tool());
        if (!availability.installed()) {
            excluded.add(new Candidate(target.tool(), target.model(), Candidate.Status.EXCLUDED,
                    "not installed: " + availability.detail()));
            return false;
        }
        long tokens = context.estimatedPromptTokens();
        if (model != null && tokens > model.contextWindow()) {
            excluded.add(new Candidate(target.tool(), target.model(), Candidate.Status.EXCLUDED,
                    "context too small: ~" + tokens + " prompt tokens > context window " + model.contextWindow()));
            return false;
        }
        Candidate.Status status = runnable.isEmpty() ? Candidate.Status.CHOSEN : Candidate.Status.FALLBACK;
        runnable.add(new Candidate(target.tool(), target.model(), status, why));
        return true;
    }

    /** Records a pair that was considered and left out for a strategy-specific reason. */
    void exclude(RouteTarget target, String why) {
        if (firstSight(target)) {
            excludeDistinct(target, why);
        }
    }

    /** As {@link #exclude}, for a pair known to be new to this plan (see {@link #offerDistinct}). */
    void excludeDistinct(RouteTarget target, String why) {
        excluded.add(new Candidate(target.tool(), target.model(), Candidate.Status.EXCLUDED, why));
    }

    private boolean firstSight(RouteTarget target) {
        if (seen == null) {
            seen = new HashSet<>();
        }
        return seen.add(target);
    }

    RoutePlan toPlan(String strategy) {
        List<Candidate> all = new ArrayList<>(runnable.size() + excluded.size());
        all.addAll(runnable);
        all.addAll(excluded);
        return new RoutePlan(context.agent().name(), strategy, context.estimatedPromptTokens(), all);
    }
}
