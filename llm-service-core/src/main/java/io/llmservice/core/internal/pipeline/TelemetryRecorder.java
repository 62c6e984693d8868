package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.LlmServiceException;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.ToolException;
import io.llmservice.config.Privacy;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.Redactor;
import io.llmservice.spi.RouteInput;
import io.llmservice.spi.TelemetryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * Turns attempts into {@link InvocationRecord}s and hands them to the store. Prompt and response
 * text are kept only with {@code privacy: full}, and then redacted.
 *
 * <p>Error summaries: with {@code privacy: metadata} a failure raised by a tool
 * ({@link ToolException}: its message may quote the tool's output, which can echo the prompt) is
 * summarised by its class and code only, e.g. {@code ToolExitException LLM-032}; the service's own
 * refusals and failures (budget, rate limit, no route, store) keep their message. With
 * {@code privacy: full} every summary is the redacted message. Summaries are one line of at most
 * 500 characters.
 *
 * <p>Every record, the attempt-0 refusals included, carries the request's {@link RouteInput}.
 */
public final class TelemetryRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRecorder.class);
    private static final int MAX_ERROR_SUMMARY = 500;

    private final TelemetryStore store;
    private final Privacy privacy;
    private final Redactor redactor;

    public TelemetryRecorder(TelemetryStore store, Privacy privacy, Redactor redactor) {
        this.store = store;
        this.privacy = privacy;
        this.redactor = redactor;
    }

    /** Records one attempt; {@code responseText} is the answer of a successful attempt. */
    public void attempt(Exchange ex, Attempt a, Optional<String> responseText, Optional<BigDecimal> reservedUsd) {
        attempt(ex, a, responseText, reservedUsd, List.of());
    }

    /**
     * Records one attempt with each model's share of it ({@code modelUsage}, empty when the tool
     * gives no breakdown).
     */
    public void attempt(Exchange ex, Attempt a, Optional<String> responseText, Optional<BigDecimal> reservedUsd,
                        List<ModelUsage> modelUsage) {
        Optional<LlmServiceException> failure = a.failure();
        write(InvocationRecord.builder().requestId(ex.requestId()).attempt(a.number()).startedAt(a.startedAt())
                .agent(ex.agent().name()).team(ex.agent().team()).tool(a.tool()).model(a.model())
                .outcome(a.outcome()).exitCode(a.exitCode()).usage(a.usage()).costUsd(a.costUsd())
                .costSource(a.costSource()).reservedUsd(reservedUsd).latency(a.latency())
                .errorCode(failure.map(e -> e.code().id()))
                .errorSummary(failure.map(this::summary).orElse(""))
                .promptText(text(ex.request().prompt())).responseText(responseText.flatMap(this::text))
                .labels(ex.request().labels()).modelUsage(modelUsage).routeInput(routeInput(ex)).build());
    }

    /** Records a request refused before any attempt (no route, rate limited, ...). */
    public void refused(Exchange ex, Outcome outcome, LlmServiceException why) {
        // attempt 0, no tool or model, usage and cost unknown: nothing ran
        write(InvocationRecord.builder().requestId(ex.requestId()).attempt(0).startedAt(ex.startedAt())
                .agent(ex.agent().name()).team(ex.agent().team()).outcome(outcome)
                .latency(ex.elapsed()).errorCode(why.code().id())
                .errorSummary(summary(why)).promptText(text(ex.request().prompt()))
                .labels(ex.request().labels()).routeInput(routeInput(ex)).build());
    }

    /**
     * What routing decided from, for a later replay: the plan's prompt estimate, the request's hint
     * and the tool/model it named. Every exchange has a plan (routing runs before the pipeline, and a
     * request no candidate can serve still gets its estimate), so every record made here carries it;
     * only records logged before the input was kept, or written by other code, have none.
     */
    static RouteInput routeInput(Exchange ex) {
        return RouteInput.builder(ex.plan().estimatedTokens()).complexity(ex.request().complexity())
                .tool(ex.request().tool()).model(ex.request().model()).build();
    }

    private void write(InvocationRecord record) {
        try {
            store.record(record);
        } catch (RuntimeException e) {
            // Telemetry must never turn a served request into a failure; the store reports its own errors.
            LOG.error("could not record invocation {} attempt {}: {}", record.requestId(), record.attempt(),
                    e.toString());
        }
    }

    private Optional<String> text(String s) {
        return privacy == Privacy.FULL ? Optional.of(redactor.redact(s)) : Optional.empty();
    }

    private String summary(LlmServiceException e) {
        if (privacy == Privacy.METADATA && e instanceof ToolException) {
            return e.getClass().getSimpleName() + " " + e.code().id();
        }
        String oneLine = redactor.redact(e.getMessage()).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_ERROR_SUMMARY ? oneLine : oneLine.substring(0, MAX_ERROR_SUMMARY - 1) + "…";
    }
}
