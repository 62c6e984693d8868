package io.llmservice.core.internal.pipeline;

import io.llmservice.CallCancelledException;
import io.llmservice.Candidate;
import io.llmservice.LlmResponse;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.Ticker;
import io.llmservice.core.internal.ratelimit.RateLimiter;
import io.llmservice.core.internal.ratelimit.Sleeper;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The first request step: admits the request under every matching rate limit, once per request
 * (fallback attempts do not count again). A limit's scope is matched against the agent, its team,
 * and the plan's chosen tool and model. Refused with {@code on_limit: fail}, or when waiting would
 * take longer than {@code max_wait}: {@link RateLimitedException} carrying the retry-after,
 * recorded as {@code rate_limited}, and nothing runs. With {@code on_limit: wait}: waits (through
 * the injected {@link Sleeper}) and tries again; an interrupt or {@code cancel()} while waiting
 * ends the call with {@link CallCancelledException} (the interrupt flag set again). The buckets are
 * the store's shared ones when it keeps them (see {@link RateLimiter}); a store that cannot be reached
 * fails the call with its {@code LLM-050} error, and nothing runs.
 */
public final class RateLimitStep implements RequestStep {
    private final RateLimiter limiter;
    private final TelemetryRecorder recorder;
    private final Ticker ticker;
    private final Sleeper sleeper;
    private final Listeners listeners;

    /**
     * @param ticker    measures how long the request has waited, against {@code max_wait}
     * @param listeners told of each wait and of a refusal
     */
    public RateLimitStep(RateLimiter limiter, TelemetryRecorder recorder, Ticker ticker, Sleeper sleeper,
                         Listeners listeners) {
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public LlmResponse handle(Exchange ex, RequestChain next) {
        if (limiter.isEmpty()) {
            return next.proceed(ex);
        }
        Optional<Candidate> chosen = ex.plan().chosen();
        String agent = ex.agent().name();
        String team = ex.agent().team().orElse(null);
        String tool = chosen.map(Candidate::tool).orElse(null);
        String model = chosen.map(Candidate::model).orElse(null);
        long tokens = ex.plan().estimatedTokens();
        long start = ticker.read();
        while (true) {
            RateLimiter.Decision d = limiter.tryAcquire(agent, team, tool, model, tokens);
            if (d.admitted()) {
                return next.proceed(ex);
            }
            Duration waited = Duration.ofNanos(ticker.read() - start);
            if (!d.mayWait() || waited.plus(d.retryAfter()).compareTo(d.maxWait()) > 0) {
                RateLimitedException e = new RateLimitedException(d.scope(), d.retryAfter(), d.detail());
                recorder.refused(ex, Outcome.RATE_LIMITED, e);
                listeners.requestRefused(ex, Outcome.RATE_LIMITED, e);
                throw e;
            }
            listeners.rateLimitWait(ex, d.scope(), d.retryAfter());
            try {
                sleeper.sleep(d.retryAfter(), ex.cancellation());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw cancelled(ex, "interrupted while waiting for rate limit " + d.scope());
            }
            if (ex.cancellation().isCancelled()) {
                throw cancelled(ex, "cancelled while waiting for rate limit " + d.scope());
            }
        }
    }

    private CallCancelledException cancelled(Exchange ex, String message) {
        CallCancelledException e = new CallCancelledException(message);
        recorder.refused(ex, Outcome.CANCELLED, e);
        listeners.requestRefused(ex, Outcome.CANCELLED, e);
        return e;
    }
}
