package io.llmservice.core.internal.pipeline;

/**
 * Records every attempt that passes through it (successes, failures, refusals) and tells the
 * listeners. First in the attempt chain, so refusals of later steps are recorded too.
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
        AttemptResult result = next.proceed(attempt);
        recorder.attempt(attempt.exchange(), result.attempt(), result.result().map(r -> r.text()),
                result.reservedUsd());
        listeners.attempt(attempt.exchange().requestId(), result.attempt());
        return result;
    }
}
