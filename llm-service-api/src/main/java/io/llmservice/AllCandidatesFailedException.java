package io.llmservice;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every candidate of the plan was tried and failed; {@link #attempts()} holds each cause.
 *
 * <pre>{@code
 * try {
 *     LlmResponse r = llm.route(request).execute();
 * } catch (AllCandidatesFailedException e) {
 *     for (Attempt a : e.attempts()) {
 *         System.err.println(a.tool() + "/" + a.model() + ": " + a.failure().map(Throwable::getMessage).orElse(""));
 *     }
 *     if (e.retriable()) {
 *         retryLater(request);   // every attempt failed for a reason that may pass
 *     }
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class AllCandidatesFailedException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final transient RoutePlan plan;
    private final transient List<Attempt> attempts;

    public AllCandidatesFailedException(RoutePlan plan, List<Attempt> attempts) {
        super(ErrorCode.ALL_CANDIDATES_FAILED, render(plan, attempts),
                attempts.isEmpty() ? null : attempts.get(attempts.size() - 1).failure().orElse(null));
        this.plan = Objects.requireNonNull(plan, "plan");
        this.attempts = List.copyOf(attempts);
    }

    public RoutePlan plan() {
        return plan;
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    @Override
    public boolean retriable() {
        return attempts.stream().allMatch(a -> a.failure().map(LlmServiceException::retriable).orElse(false));
    }

    private static String render(RoutePlan plan, List<Attempt> attempts) {
        return "all " + attempts.size() + " candidate(s) for agent '" + plan.agent() + "' failed:"
                + attempts.stream().map(a -> System.lineSeparator() + "  #" + a.number() + " " + a.tool() + "/"
                        + a.model() + ": " + a.failure().map(Throwable::getMessage).orElse(a.outcome().storedName()))
                .collect(Collectors.joining());
    }
}
