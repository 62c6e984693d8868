package io.llmservice.core.internal.adapter;

import io.llmservice.ModelUsage;
import io.llmservice.Usage;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@link OutputParser} read from one tool run's standard output.
 *
 * @param text          the answer, when the output holds one
 * @param usage         token counts; a count the output did not report is unknown, never zero
 * @param costUsd       the tool's own cost figure, exact as printed
 * @param reportedError true when the tool says the run failed ({@code is_error} truthy)
 * @param errorStatus   the vendor API's HTTP status, when the tool reports one
 * @param errorMessage  the tool's error message, when it gives one
 * @param model         the model the tool says it really used
 * @param warnings      what the caller should know, e.g. {@code "usage not reported: input_tokens"}
 * @param modelUsage    each model's share, models as the tool named them ({@code output.model_usage});
 *                      empty when the tool gives no breakdown
 * @param sessionId     the first string the session id paths matched, when the caller asked for them
 */
public record ParsedOutput(Optional<String> text, Usage usage, Optional<BigDecimal> costUsd, boolean reportedError,
                           OptionalInt errorStatus, Optional<String> errorMessage, Optional<String> model,
                           List<String> warnings, List<ModelUsage> modelUsage,
                           Optional<String> sessionId) {
    public ParsedOutput {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(errorStatus, "errorStatus");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(model, "model");
        warnings = List.copyOf(warnings);
        modelUsage = List.copyOf(modelUsage);
    }
}
