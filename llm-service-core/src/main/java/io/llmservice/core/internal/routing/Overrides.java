package io.llmservice.core.internal.routing;

import io.llmservice.LlmRequest;
import io.llmservice.config.RouteTarget;
import io.llmservice.spi.RoutingContext;

import java.util.List;

/**
 * Turns a request's tool/model override into the pairs it forces. The pairs were validated for
 * compatibility when the request was routed ({@code RequestValidator}).
 */
final class Overrides {
    private Overrides() {
    }

    /** The forced pairs; empty when the request forces nothing. */
    static List<RouteTarget> forced(RoutingContext context) {
        LlmRequest request = context.request();
        if (request.tool().isEmpty() && request.model().isEmpty()) {
            return List.of();
        }
        if (request.tool().isPresent() && request.model().isPresent()) {
            return List.of(new RouteTarget(request.tool().get(), request.model().get()));
        }
        if (request.tool().isPresent()) {
            // Only a tool: the agent's model on it (validation guaranteed support).
            return List.of(new RouteTarget(request.tool().get(), context.agent().model()));
        }
        // Only a model: every tool of the agent that supports it, in the agent's order.
        String model = request.model().get();
        return context.agent().allTools().stream()
                .filter(t -> context.config().tool(t).map(d -> d.supports(model)).orElse(false))
                .map(t -> new RouteTarget(t, model))
                .toList();
    }
}
