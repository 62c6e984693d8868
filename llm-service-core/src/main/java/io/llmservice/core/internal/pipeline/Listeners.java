package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceListener;
import io.llmservice.RoutePlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** Dispatches events to the user's listeners; a listener that throws is logged and skipped. */
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

    public void attempt(String requestId, Attempt attempt) {
        each(l -> l.onAttempt(requestId, attempt));
    }

    public void warning(ErrorCode code, String message) {
        WARNINGS.warn("{} {}", code.id(), message);
        each(l -> l.onWarning(code, message));
    }

    private void each(Consumer<LlmServiceListener> event) {
        for (LlmServiceListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw {}; ignored", l.getClass().getName(), e.toString());
            }
        }
    }
}
