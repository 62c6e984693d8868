package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.Usage;

import io.llmservice.spi.ToolResult;

import java.util.List;
import java.util.Optional;

/**
 * Records every attempt that passes through it (successes, failures, refusals) and tells the
 * listeners. First in the attempt chain, so refusals of later steps are recorded too — and so is
 * an attempt a later step aborted by throwing (say the budget ledger's database failed): it is
 * recorded as failed with that error, then the exception goes on to the caller.
 */
public final class TelemetryStep implements AttemptStep {
    private final TelemetryRecorder recorder;
    private final Listeners listeners;

    public TelemetryStep(TelemetryRecorder recorder, Listeners listeners) {
        this.recorder = recorder;
        this.listeners = listeners;
    }

    @Override
    public AttemptResult handle(AttemptContext attempt, AttemptChain next) {
        AttemptResult result;
        try {
            result = next.proceed(attempt);
        } catch (RuntimeException e) {
            LlmServiceException cause = e instanceof LlmServiceException l ? l
                    // As InvokeStep does for an adapter bug: recorded under the I/O code, with the real exception.
                    : new LlmServiceException(ErrorCode.TOOL_IO, "attempt aborted: " + e, e);
            Attempt failed = Attempt.failed(attempt.number(), attempt.tool().name(), attempt.model().id(),
                    Outcome.FAILED, attempt.startedAt(), attempt.elapsed(),
                    Usage.unknown(), -1, cause);
            recorder.attempt(attempt.exchange(), failed, Optional.empty(), Optional.empty());
            listeners.attempt(attempt.exchange(), failed);
            throw e;
        }
        recorder.attempt(attempt.exchange(), result.attempt(), result.result().map(r -> r.text()),
                result.reservedUsd(), result.result().map(ToolResult::modelUsage).orElse(List.of()));
        listeners.attempt(attempt.exchange(), result.attempt());
        return result;
    }
}
