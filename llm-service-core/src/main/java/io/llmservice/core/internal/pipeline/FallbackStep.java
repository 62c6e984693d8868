package io.llmservice.core.internal.pipeline;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.CallCancelledException;
import io.llmservice.Candidate;
import io.llmservice.LlmResponse;
import io.llmservice.LlmServiceException;
import io.llmservice.NoRouteException;
import io.llmservice.Outcome;
import io.llmservice.Session;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.cooldown.Cooldowns;
import io.llmservice.spi.ToolResult;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The last request step: runs the plan's candidates in order through the attempt chain, moving
 * on after a retriable failure (not installed, timeout, rate limit or overload reported by the
 * tool) and stopping at the first success, the first non-retriable failure, or a cancellation.
 * A chain that ends without an answer throws {@link AllCandidatesFailedException} with every
 * attempt and skipped candidate; only a lone attempt with nothing skipped throws its own failure.
 * A budget refusal is final, except from a budget with {@code on_exceed: downgrade}: then the next
 * candidate is tried (the budget step has already tried the candidate's cheaper models); when every
 * attempt was refused by a budget, the first refusal is thrown.
 */
public final class FallbackStep implements RequestStep {
    private final LlmConfig config;
    private final AttemptChain attempts;
    private final TelemetryRecorder recorder;
    private final Clock clock;
    private final Set<String> downgradeBudgets;
    private final Cooldowns cooldowns;
    private final Listeners listeners;

    public FallbackStep(LlmConfig config, AttemptChain attempts, TelemetryRecorder recorder, Clock clock) {
        this(config, attempts, recorder, clock, Set.of());
    }

    /** @param downgradeBudgets names of the budgets with {@code on_exceed: downgrade} */
    public FallbackStep(LlmConfig config, AttemptChain attempts, TelemetryRecorder recorder, Clock clock,
                        Set<String> downgradeBudgets) {
        this(config, attempts, recorder, clock, downgradeBudgets, null, new Listeners(List.of()));
    }

    /**
     * @param downgradeBudgets names of the budgets with {@code on_exceed: downgrade}
     * @param cooldowns        says when a plan whose candidates are cooling down may run again; null for none
     * @param listeners        told of each fallback to the next candidate and of a request with no route
     */
    public FallbackStep(LlmConfig config, AttemptChain attempts, TelemetryRecorder recorder, Clock clock,
                        Set<String> downgradeBudgets, Cooldowns cooldowns, Listeners listeners) {
        this.cooldowns = cooldowns;
        this.listeners = listeners;
        this.config = config;
        this.attempts = attempts;
        this.recorder = recorder;
        this.clock = clock;
        this.downgradeBudgets = Set.copyOf(downgradeBudgets);
    }

    @Override
    public LlmResponse handle(Exchange ex, RequestChain next) {
        // The plan's candidates as they are: RoutePlan.runnable() would build a list (through a
        // stream) on every call, measurable next to a tool that answers in a millisecond.
        List<Candidate> candidates = ex.plan().candidates();
        if (!anyRunnable(candidates)) {
            Optional<String> cooling = cooldowns == null ? Optional.empty() : cooldowns.noRouteSummary(ex.plan());
            NoRouteException e = cooling.map(summary -> new NoRouteException(ex.plan(), summary))
                    .orElseGet(() -> new NoRouteException(ex.plan()));
            recorder.refused(ex, Outcome.NO_ROUTE, e);
            listeners.requestRefused(ex, Outcome.NO_ROUTE, e);
            throw e;
        }
        for (Candidate c : candidates) {
            if (!c.runnable()) {
                continue;
            }
            if (ex.cancellation().isCancelled()) {
                throw new CallCancelledException("call cancelled after " + ex.attempts().size() + " attempt(s)");
            }
            if (!ex.attempts().isEmpty()) {
                listeners.fallback(ex, ex.attempts().get(ex.attempts().size() - 1), c);
            }
            ToolDefinition tool = config.tools().get(c.tool());
            ModelDefinition model = config.models().get(c.model());
            AttemptResult r = attempts.proceed(new AttemptContext(ex, ex.nextAttemptNumber(), tool, model,
                    clock.instant(), ex.ticker().read()));
            ex.addAttempt(r.attempt());
            if (r.succeeded()) {
                return response(ex, r.attempt(), r.result().orElseThrow());
            }
            LlmServiceException failure = r.attempt().failure().orElseThrow();
            if (failure instanceof BudgetExceededException refusal) {
                if (!downgradeBudgets.contains(refusal.policy())) {
                    throw refusal;
                }
            } else if (failure instanceof CallCancelledException) {
                throw failure;
            } else if (!failure.retriable()) {
                throw chainEnded(ex, failure);
            }
        }
        if (ex.attempts().stream().allMatch(a -> a.outcome() == Outcome.BUDGET_BLOCKED)) {
            throw ex.attempts().get(0).failure().orElseThrow();
        }
        throw new AllCandidatesFailedException(ex.plan(), ex.attempts());
    }

    /**
     * The exception for a chain stopped by a failure no other candidate can fix: the failure
     * itself when it is all there is to tell (the only attempt, nothing skipped), else every
     * attempt and every skipped candidate, so that the earlier ones are not hidden behind the last.
     */
    private static LlmServiceException chainEnded(Exchange ex, LlmServiceException last) {
        if (ex.attempts().size() == 1 && ex.plan().excluded().isEmpty()) {
            return last;
        }
        return new AllCandidatesFailedException(ex.plan(), ex.attempts());
    }

    private static boolean anyRunnable(List<Candidate> candidates) {
        for (Candidate c : candidates) {
            if (c.runnable()) {
                return true;
            }
        }
        return false;
    }

    private static LlmResponse response(Exchange ex, Attempt last, ToolResult result) {
        LlmResponse r = LlmResponse.builder().requestId(ex.requestId()).text(result.text()).tool(last.tool())
                .model(last.model()).reportedModel(result.reportedModel()).usage(last.usage())
                .costUsd(last.costUsd()).costSource(last.costSource())
                .latency(ex.elapsed()).attempts(ex.attempts())
                .warnings(result.warnings()).modelUsage(result.modelUsage()).build();
        return ex.request().keepsSession() ? withSession(ex, r, result) : r;
    }

    /**
     * The response with the session the tool kept; when the request continued another tool's
     * session (that tool failed or was skipped), a warning says the conversation started anew.
     */
    private static LlmResponse withSession(Exchange ex, LlmResponse r, ToolResult result) {
        LlmResponse.Builder b = r.toBuilder();
        Optional<Session> asked = ex.request().session();
        if (asked.isPresent() && !asked.get().tool().equals(r.tool())) {
            b.warning("session " + asked.get() + " was not continued: " + asked.get().tool() + " did not serve the"
                    + " request; " + r.tool() + " started a new session without the earlier conversation");
        }
        if (asked.isPresent() && asked.get().tool().equals(r.tool()) && result.sessionId().isPresent()
                && !result.sessionId().get().equals(asked.get().id())) {
            // e.g. resume arguments the CLI did not take as such (codex: "resume" after the prompt "-").
            b.warning("session " + asked.get() + " was not continued: " + r.tool() + " reported session "
                    + result.sessionId().get() + " instead, a new conversation; check the tool's session.resume"
                    + " arguments and {session_args} in its args");
        }
        if (result.sessionId().isPresent()) {
            try {
                b.session(new Session(r.tool(), result.sessionId().get()));
            } catch (IllegalArgumentException e) {
                b.warning("session id not usable: " + e.getMessage());
            }
        }
        return b.build();
    }
}
