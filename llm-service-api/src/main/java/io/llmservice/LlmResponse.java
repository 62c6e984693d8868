package io.llmservice;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a successful {@link RoutedCall#execute()}.
 *
 * <pre>{@code
 * LlmResponse r = call.execute();
 * System.out.println(r.text());
 * System.out.printf("%s/%s cost $%s in %d ms after %d attempt(s)%n",
 *         r.tool(), r.model(), r.costUsd().orElse(BigDecimal.ZERO), r.latency().toMillis(), r.attempts().size());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param requestId     unique id of the request, shared by all its attempts in telemetry
 * @param text          the tool's answer
 * @param tool          the tool that served the request
 * @param model         the catalogue model id that was requested
 * @param reportedModel the model the tool says it really used (e.g. Claude Code resolves
 *                      {@code sonnet} to a dated id); empty when the tool does not say
 * @param usage         token counts, possibly unknown
 * @param costUsd       cost in US dollars; empty when neither reported nor computable
 * @param costSource    where {@code costUsd} came from
 * @param latency       wall time of the whole request, all attempts included
 * @param attempts      every attempt in order; the last one succeeded
 * @param warnings      what the tool's output left out or the library had to cut, e.g.
 *                      {@code "usage not reported: cache_read_tokens"} or {@code "stdout capped at ..."}
 */
public record LlmResponse(String requestId, String text, String tool, String model, Optional<String> reportedModel,
                          Usage usage, Optional<BigDecimal> costUsd, CostSource costSource, Duration latency,
                          List<Attempt> attempts, List<String> warnings) {

    public LlmResponse {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reportedModel, "reportedModel");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(costSource, "costSource");
        Objects.requireNonNull(latency, "latency");
        attempts = List.copyOf(attempts);
        warnings = List.copyOf(warnings);
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a response has at least one attempt");
        }
    }

    @Override
    public String toString() {
        return "LlmResponse{requestId=" + requestId + ", tool=" + tool + ", model=" + model + ", usage=" + usage
                + ", costUsd=" + costUsd.map(BigDecimal::toPlainString).orElse("unknown") + ", costSource="
                + costSource + ", latency=" + latency.toMillis() + "ms, attempts=" + attempts.size()
                + ", textChars=" + text.length() + "}";
    }
}
