package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.spi.ToolResult;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What one attempt produced: always an {@link Attempt}; the tool's result when it succeeded; the
 * budget reservation made for it, when a budget applied.
 * Failures travel as values, not exceptions, so every step sees every attempt.
 */
public record AttemptResult(Attempt attempt, Optional<ToolResult> result, Optional<BigDecimal> reservedUsd) {

    public static AttemptResult success(Attempt attempt, ToolResult result) {
        return new AttemptResult(attempt, Optional.of(result), Optional.empty());
    }

    public static AttemptResult failure(Attempt attempt) {
        return new AttemptResult(attempt, Optional.empty(), Optional.empty());
    }

    /** The same result, noting the budget reservation that was made for it. */
    public AttemptResult withReservation(BigDecimal reserved) {
        return new AttemptResult(attempt, result, Optional.of(reserved));
    }

    public boolean succeeded() {
        return attempt.succeeded();
    }
}
