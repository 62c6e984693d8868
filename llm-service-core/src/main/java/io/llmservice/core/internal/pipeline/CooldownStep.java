package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.CallCancelledException;
import io.llmservice.LlmServiceException;
import io.llmservice.core.internal.cooldown.Cooldowns;

import java.util.Objects;
import java.util.Optional;

/**
 * Counts every attempt that ran towards its tool/model's cooldown ({@code policies.cooldown}): a
 * success resets the count, an authentication, 429 or 5xx failure adds to it (see
 * {@link io.llmservice.core.internal.cooldown.CountingFailure}). Refusals of later steps (a
 * budget) and cancellations count for nothing. The attempt counts against the model that really ran,
 * {@code result.attempt()}: a budget downgrade (a later step) may have run a cheaper model than the
 * one this step was handed.
 */
public final class CooldownStep implements AttemptStep {
    private final Cooldowns cooldowns;

    public CooldownStep(Cooldowns cooldowns) {
        this.cooldowns = Objects.requireNonNull(cooldowns, "cooldowns");
    }

    @Override
    public AttemptResult handle(AttemptContext attempt, AttemptChain next) {
        AttemptResult result = next.proceed(attempt);
        Attempt ran = result.attempt();
        Optional<LlmServiceException> failure = ran.failure();
        if (failure.isEmpty() || !(failure.get() instanceof CallCancelledException)) {
            cooldowns.attempted(ran.tool(), ran.model(), failure);
        }
        return result;
    }
}
