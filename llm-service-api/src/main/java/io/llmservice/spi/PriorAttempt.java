package io.llmservice.spi;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link RollupContributions#of} needs to know of an earlier attempt of the same request: enough
 * to tell whether the new attempt is the request's first in its tool or model, and which row the
 * request was counted in. A store reads these from its invocation log (only when the new attempt's
 * number is above 1) or keeps them.
 *
 * <pre>{@code
 * List<PriorAttempt> earlier = store.findByRequest(record.requestId()).stream()
 *         .filter(r -> r.attempt() < record.attempt()).map(PriorAttempt::of).toList();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param attempt     the attempt number (0 for a refusal before running)
 * @param startedAt   when it started
 * @param tool        its tool
 * @param model       its model
 * @param outcome     how it ended
 * @param shareModels the other models it booked a share under ({@link InvocationRecord#modelUsage()}
 *                    without its own model), empty for most attempts
 */
public record PriorAttempt(int attempt, Instant startedAt, String tool, String model, Outcome outcome,
                           Set<String> shareModels) {
    public PriorAttempt {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        shareModels = Set.copyOf(shareModels);
        if (attempt < 0) {
            throw new IllegalArgumentException("PriorAttempt.attempt must be >= 0, was " + attempt);
        }
    }

    /** The facts of a recorded attempt. */
    public static PriorAttempt of(InvocationRecord r) {
        return new PriorAttempt(r.attempt(), r.startedAt(), r.tool(), r.model(), r.outcome(), shareModels(r));
    }

    /** The models other than its own that an attempt books a share under, sorted; none for attempt 0. */
    static Set<String> shareModels(InvocationRecord r) {
        Set<String> models = new TreeSet<>();
        if (r.attempt() > 0) {
            for (ModelUsage m : r.modelUsage()) {
                if (!m.model().equals(r.model())) {
                    models.add(m.model());
                }
            }
        }
        return models;
    }

    /** True when this attempt counts under {@code model}: its own or a share's. */
    boolean bookedUnder(String m) {
        return model.equals(m) || shareModels.contains(m);
    }
}
