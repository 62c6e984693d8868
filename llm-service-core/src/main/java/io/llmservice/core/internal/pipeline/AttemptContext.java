package io.llmservice.core.internal.pipeline;

import io.llmservice.config.ModelDefinition;
import io.llmservice.config.ToolDefinition;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt: which candidate runs, as which attempt number, starting when.
 *
 * @param exchange   the request
 * @param number     1-based attempt number
 * @param tool       the candidate tool's definition
 * @param model      the candidate model's definition
 * @param startedAt  wall-clock start (from the service clock)
 * @param startNanos the exchange's ticker at the start, for latency
 */
public record AttemptContext(Exchange exchange, int number, ToolDefinition tool, ModelDefinition model,
                             Instant startedAt, long startNanos) {

    /** Time since the attempt started, on the exchange's ticker. */
    public Duration elapsed() {
        return Duration.ofNanos(exchange.ticker().read() - startNanos);
    }
}
