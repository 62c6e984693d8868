package io.llmservice.core.internal.pipeline;

import io.llmservice.LlmResponse;

import java.util.List;

/** The rest of the request chain after the current step. Immutable. */
public final class RequestChain {
    private final List<RequestStep> steps;
    private final int index;

    public RequestChain(List<RequestStep> steps) {
        this(List.copyOf(steps), 0);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("the request chain needs a terminal step");
        }
    }

    private RequestChain(List<RequestStep> steps, int index) {
        this.steps = steps;
        this.index = index;
    }

    public LlmResponse proceed(Exchange exchange) {
        if (index >= steps.size()) {
            throw new IllegalStateException("the last request step must not call proceed()");
        }
        return steps.get(index).handle(exchange, new RequestChain(steps, index + 1));
    }
}
