package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.LlmRequest;
import io.llmservice.RoutePlan;
import io.llmservice.Ticker;
import io.llmservice.config.AgentDefinition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One request on its way through the pipeline: what was asked, for whom, the plan, and the
 * attempts made so far. Its start is read twice: the service clock for the record's timestamp, the
 * service ticker for latency. Confined to the thread executing the call.
 */
public final class Exchange {
    private final String requestId;
    private final LlmRequest request;
    private final AgentDefinition agent;
    private final RoutePlan plan;
    private final CallCancellation cancellation;
    private final Instant startedAt;
    private final Ticker ticker;
    private final long startNanos;
    private final List<Attempt> attempts = new ArrayList<>();

    public Exchange(String requestId, LlmRequest request, AgentDefinition agent, RoutePlan plan,
                    CallCancellation cancellation, Instant startedAt, Ticker ticker) {
        this.requestId = requestId;
        this.request = request;
        this.agent = agent;
        this.plan = plan;
        this.cancellation = cancellation;
        this.startedAt = startedAt;
        this.ticker = ticker;
        this.startNanos = ticker.read();
    }

    public String requestId() {
        return requestId;
    }

    public LlmRequest request() {
        return request;
    }

    public AgentDefinition agent() {
        return agent;
    }

    public RoutePlan plan() {
        return plan;
    }

    public CallCancellation cancellation() {
        return cancellation;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The service ticker, for the latency of the request and of its attempts. */
    public Ticker ticker() {
        return ticker;
    }

    /** Time since the request started, on the ticker. */
    public Duration elapsed() {
        return Duration.ofNanos(ticker.read() - startNanos);
    }

    public void addAttempt(Attempt attempt) {
        attempts.add(attempt);
    }

    public List<Attempt> attempts() {
        return Collections.unmodifiableList(attempts);
    }

    public int nextAttemptNumber() {
        return attempts.size() + 1;
    }
}
