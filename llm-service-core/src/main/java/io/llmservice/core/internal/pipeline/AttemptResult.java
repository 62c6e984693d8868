package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.spi.ToolResult;

import java.util.Optional;

/**
 * What one attempt produced: always an {@link Attempt}; the tool's result when it succeeded.
 * Failures travel as values, not exceptions, so every step sees every attempt.
 */
public record AttemptResult(Attempt attempt, Optional<ToolResult> result) {

    public static AttemptResult success(Attempt attempt, ToolResult result) {
        return new AttemptResult(attempt, Optional.of(result));
    }

    public static AttemptResult failure(Attempt attempt) {
        return new AttemptResult(attempt, Optional.empty());
    }

    public boolean succeeded() {
        return attempt.succeeded();
    }
}
