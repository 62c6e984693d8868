package io.llmservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fallback chain ended without an answer: every candidate that could run was tried and
 * failed, or one failed in a way another candidate cannot fix (say, an authentication failure)
 * after earlier attempts had failed. {@link #attempts()} holds every attempt with its cause, and
 * {@link #plan()} the candidates skipped before running (not installed, context too small ...)
 * with why. The message lists all of them, one line each; the cause is the last attempt's failure.
 *
 * <pre>{@code
 * try {
 *     LlmResponse r = llm.route(request).execute();
 * } catch (AllCandidatesFailedException e) {
 *     for (Attempt a : e.attempts()) {
 *         System.err.println(a.tool() + "/" + a.model() + ": " + a.failure().map(Throwable::getMessage).orElse(""));
 *     }
 *     e.plan().excluded().forEach(c -> System.err.println("skipped " + c));
 *     if (e.retriable()) {
 *         retryLater(request);   // every attempt failed for a reason that may pass
 *     }
 * }
 * }</pre>
 *
 * <p>A chain of one attempt with nothing skipped throws that attempt's failure itself, not this.
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

    /**
     * The runnable candidates of the plan that never ran because an earlier attempt failed in a
     * way that is not worth a fallback; empty when the chain ran to its end.
     */
    public List<Candidate> notTried() {
        return notTried(plan, attempts);
    }

    @Override
    public boolean retriable() {
        return attempts.stream().allMatch(a -> a.failure().map(LlmServiceException::retriable).orElse(false));
    }

    private static List<Candidate> notTried(RoutePlan plan, List<Attempt> attempts) {
        if (attempts.isEmpty() || attempts.get(attempts.size() - 1).failure().map(LlmServiceException::retriable)
                .orElse(true)) {
            return List.of();
        }
        List<Candidate> result = new ArrayList<>();
        for (Candidate c : plan.candidates()) {
            if (c.runnable() && attempts.stream().noneMatch(a -> a.tool().equals(c.tool())
                    && a.model().equals(c.model()))) {
                result.add(c);
            }
        }
        return List.copyOf(result);
    }

    private static String render(RoutePlan plan, List<Attempt> attempts) {
        List<Candidate> skipped = plan.excluded();
        List<Candidate> notTried = notTried(plan, attempts);
        List<String> counts = new ArrayList<>();
        counts.add(count(attempts.size(), "attempt"));
        if (!notTried.isEmpty()) {
            counts.add(notTried.size() + " not tried");
        }
        if (!skipped.isEmpty()) {
            counts.add(skipped.size() + " skipped before running");
        }
        StringBuilder sb = new StringBuilder("agent '").append(plan.agent()).append("': ")
                .append(notTried.isEmpty() ? "every candidate failed"
                        : "stopped at a failure another candidate cannot fix")
                .append(" (").append(String.join(", ", counts)).append("):");
        String nl = System.lineSeparator();
        for (Attempt a : attempts) {
            sb.append(nl).append("  #").append(a.number()).append(' ').append(a.summary());
        }
        for (Candidate c : skipped) {
            sb.append(nl).append("  skipped ").append(c.tool()).append('/').append(c.model()).append(": ")
                    .append(c.reason());
        }
        for (Candidate c : notTried) {
            sb.append(nl).append("  not tried ").append(c.tool()).append('/').append(c.model()).append(" (")
                    .append(c.reason()).append(')');
        }
        return sb.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
