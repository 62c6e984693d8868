package io.llmservice.core.internal.pipeline;

import java.util.List;

/** The rest of the attempt chain after the current step. Immutable; cheap to create. */
public final class AttemptChain {
    private final List<AttemptStep> steps;
    private final int index;

    public AttemptChain(List<AttemptStep> steps) {
        this(List.copyOf(steps), 0);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("the attempt chain needs a terminal step");
        }
    }

    private AttemptChain(List<AttemptStep> steps, int index) {
        this.steps = steps;
        this.index = index;
    }

    /** Runs the next step. */
    public AttemptResult proceed(AttemptContext attempt) {
        if (index >= steps.size()) {
            throw new IllegalStateException("the last attempt step must not call proceed()");
        }
        return steps.get(index).handle(attempt, new AttemptChain(steps, index + 1));
    }
}
