package io.llmservice.spi;

import io.llmservice.CostSource;
import io.llmservice.Outcome;
import io.llmservice.Usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One row of the invocation log: one attempt of one request (or a request refused before any
 * attempt, with attempt number 0).
 *
 * @param requestId    groups the attempts of one request
 * @param attempt      1-based attempt number; 0 for a request refused before running
 * @param startedAt    when the attempt started
 * @param agent        the agent
 * @param team         the agent's team
 * @param tool         the tool ({@code ""} when no route was found)
 * @param model        the catalogue model ({@code ""} when no route was found)
 * @param outcome      how it ended
 * @param exitCode     the process exit status, when it exited by itself
 * @param usage        tokens, possibly unknown
 * @param costUsd      cost, when known
 * @param costSource   where the cost came from
 * @param reservedUsd  the budget reservation made for the attempt (the estimate), when a budget applied;
 *                     {@code costUsd - reservedUsd} is the overrun when positive
 * @param latency      wall time of the attempt
 * @param errorCode    the error code's id when it failed
 * @param errorSummary a one-line error summary ({@code ""} on success)
 * @param promptText   the prompt, only with {@code privacy: full}, secrets redacted
 * @param responseText the answer, only with {@code privacy: full}, secrets redacted
 * @param labels       the request's labels
 */
public record InvocationRecord(String requestId, int attempt, Instant startedAt, String agent, Optional<String> team,
                               String tool, String model, Outcome outcome, OptionalInt exitCode, Usage usage,
                               Optional<BigDecimal> costUsd, CostSource costSource, Optional<BigDecimal> reservedUsd,
                               Duration latency,
                               Optional<String> errorCode, String errorSummary, Optional<String> promptText,
                               Optional<String> responseText, Map<String, String> labels) {
    public InvocationRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(costSource, "costSource");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorSummary, "errorSummary");
        Objects.requireNonNull(promptText, "promptText");
        Objects.requireNonNull(responseText, "responseText");
        labels = Map.copyOf(labels);
    }
}
