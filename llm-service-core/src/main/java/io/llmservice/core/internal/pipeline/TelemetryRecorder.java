package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.CostSource;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.config.Privacy;
import io.llmservice.core.internal.telemetry.SecretRedactor;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns attempts into {@link InvocationRecord}s and hands them to the store. Prompt and response
 * text are kept only with {@code privacy: full}, and then redacted.
 */
public final class TelemetryRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryRecorder.class);
    private static final int MAX_ERROR_SUMMARY = 500;

    private final TelemetryStore store;
    private final Privacy privacy;
    private final SecretRedactor redactor;

    public TelemetryRecorder(TelemetryStore store, Privacy privacy, SecretRedactor redactor) {
        this.store = store;
        this.privacy = privacy;
        this.redactor = redactor;
    }

    /** Records one attempt; {@code responseText} is the answer of a successful attempt. */
    public void attempt(Exchange ex, Attempt a, Optional<String> responseText, Optional<BigDecimal> reservedUsd) {
        Optional<LlmServiceException> failure = a.failure();
        write(new InvocationRecord(ex.requestId(), a.number(), a.startedAt(), ex.agent().name(), ex.agent().team(),
                a.tool(), a.model(), a.outcome(), a.exitCode(), a.usage(), a.costUsd(), a.costSource(), reservedUsd,
                a.latency(),
                failure.map(e -> e.code().id()), failure.map(e -> summary(e.getMessage())).orElse(""),
                text(ex.request().prompt()), responseText.flatMap(this::text), ex.request().labels()));
    }

    /** Records a request refused before any attempt (no route, rate limited, ...). */
    public void refused(Exchange ex, Outcome outcome, LlmServiceException why) {
        write(new InvocationRecord(ex.requestId(), 0, ex.startedAt(), ex.agent().name(), ex.agent().team(),
                "", "", outcome, OptionalInt.empty(), Usage.unknown(), Optional.empty(), CostSource.UNKNOWN, Optional.empty(),
                ex.elapsed(), Optional.of(why.code().id()),
                summary(why.getMessage()), text(ex.request().prompt()), Optional.empty(), ex.request().labels()));
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

    private String summary(String message) {
        String oneLine = redactor.redact(message).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_ERROR_SUMMARY ? oneLine : oneLine.substring(0, MAX_ERROR_SUMMARY - 1) + "…";
    }
}
