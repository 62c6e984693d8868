package io.llmservice.spi;

import io.llmservice.config.RoutingPolicy;

/**
 * Creates the {@link RoutingStrategy} named by {@code policies.routing.strategy}.
 *
 * <pre>{@code
 * public final class RoundRobinProvider implements RoutingStrategyProvider {
 *     public String type() { return "round-robin"; }
 *     public RoutingStrategy create(RoutingPolicy policy) { return new RoundRobin(); }
 * }
 * }</pre>
 */
public interface RoutingStrategyProvider {

    /** The strategy name used in YAML. */
    String type();

    RoutingStrategy create(RoutingPolicy policy);
}
