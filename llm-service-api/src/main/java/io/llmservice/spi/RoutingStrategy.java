package io.llmservice.spi;

import io.llmservice.RoutePlan;

/**
 * Decides which candidates serve a request and in what order. Must do no I/O beyond
 * {@link RoutingContext#availability(String)} and be fast: it runs on every {@code route()}.
 * Thread-safe; one instance serves all requests.
 */
public interface RoutingStrategy {

    /** Builds the plan: runnable candidates first, in run order, then excluded ones with reasons. */
    RoutePlan plan(RoutingContext context);
}
