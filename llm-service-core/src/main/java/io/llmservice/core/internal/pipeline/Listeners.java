package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.LlmServiceListener;
import io.llmservice.Outcome;
import io.llmservice.RequestInfo;
import io.llmservice.RoutePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Dispatches events to the user's listeners; a listener that throws is logged and skipped. A
 * {@link LinkageError} counts as thrown too: a listener compiled against another version of a library
 * it uses (Micrometer, say) fails with one at its first event, and must not fail the call.
 */
public final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);
    /** One logger for every warning, so an application that shows them itself can turn exactly these off. */
    private static final Logger WARNINGS = LoggerFactory.getLogger(LlmServiceListener.WARNING_LOGGER);

    private final List<LlmServiceListener> listeners;

    public Listeners(List<LlmServiceListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    public void routed(String requestId, RoutePlan plan) {
        each(l -> l.onRouted(requestId, plan));
    }

    public void attempt(Exchange ex, Attempt attempt) {
        RequestInfo request = info(ex);
        each(l -> l.onAttempt(request, attempt));
    }

    public void fallback(Exchange ex, Attempt failed, Candidate next) {
        RequestInfo request = info(ex);
        each(l -> l.onFallback(request, failed, next));
    }

    public void budgetRefused(Exchange ex, String tool, String model, BudgetExceededException refusal,
                              boolean downgraded) {
        RequestInfo request = info(ex);
        each(l -> l.onBudgetRefused(request, tool, model, refusal, downgraded));
    }

    public void rateLimitWait(Exchange ex, String scope, Duration wait) {
        RequestInfo request = info(ex);
        each(l -> l.onRateLimitWait(request, scope, wait));
    }

    public void requestRefused(Exchange ex, Outcome outcome, LlmServiceException reason) {
        RequestInfo request = info(ex);
        each(l -> l.onRequestRefused(request, outcome, reason));
    }

    private static RequestInfo info(Exchange ex) {
        return new RequestInfo(ex.requestId(), ex.agent().name(), ex.agent().team());
    }

    public void warning(ErrorCode code, String message) {
        WARNINGS.warn("{} {}", code.id(), message);
        each(l -> l.onWarning(code, message));
    }

    private void each(Consumer<LlmServiceListener> event) {
        for (LlmServiceListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("listener {} threw {}; ignored", l.getClass().getName(), e.toString());
            }
        }
    }
}
