package io.llmservice.spi;

import io.llmservice.ModelUsage;
import io.llmservice.Usage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a successful tool invocation produced. Adapters build one with {@link #builder(String)};
 * the canonical constructor stays public, but it breaks whenever a component is added.
 *
 * <pre>{@code
 * public ToolResult invoke(ToolInvocation inv) {
 *     String answer = callMyTool(inv.prompt());
 *     return ToolResult.builder(answer)
 *             .usage(Usage.of(1200, 300, 0, 0))
 *             .reportedCostUsd(new BigDecimal("0.0081"))
 *             .reportedModel("my-model-2026-01")
 *             .build();
 * }
 * // a copy with one more note
 * ToolResult noted = result.toBuilder().warning("usage not reported: cache_read_tokens").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param text              the answer
 * @param usage             token counts, unknown where the tool did not report them
 * @param reportedCostUsd   the tool's own cost figure, when it reports one
 * @param reportedModel     the model the tool says it used, when it says
 * @param exitCode          the process exit status (0 for in-process adapters)
 * @param warnings          notes such as "stdout capped at 16 MiB" or "usage not reported"
 * @param modelUsage        each model's share when the tool reports a per-model breakdown
 *                          (sub-agents on other models included), one per model, models as
 *                          catalogue ids where the tool's {@code models:} maps them; empty otherwise
 * @param sessionId         the tool's id of the conversation it kept, when the invocation asked for
 *                          a session ({@link ToolInvocation#keepsSession()}) and the tool said it
 */
public record ToolResult(String text, Usage usage, Optional<BigDecimal> reportedCostUsd,
                         Optional<String> reportedModel, int exitCode, List<String> warnings,
                         List<ModelUsage> modelUsage, Optional<String> sessionId) {
    public ToolResult {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(reportedCostUsd, "reportedCostUsd");
        Objects.requireNonNull(reportedModel, "reportedModel");
        warnings = List.copyOf(warnings);
        modelUsage = List.copyOf(modelUsage);
        if (modelUsage.stream().map(ModelUsage::model).distinct().count() != modelUsage.size()) {
            throw new IllegalArgumentException("modelUsage must hold one share per model, was "
                    + modelUsage.stream().map(ModelUsage::model).toList());
        }
        Objects.requireNonNull(sessionId, "sessionId");
    }

    /** The result without a per-model breakdown or a session id; kept for adapters written before they existed. */
    public ToolResult(String text, Usage usage, Optional<BigDecimal> reportedCostUsd, Optional<String> reportedModel,
                      int exitCode, List<String> warnings) {
        this(text, usage, reportedCostUsd, reportedModel, exitCode, warnings, List.of(), Optional.empty());
    }

    /**
     * A builder for a result with answer {@code text}; usage defaults to {@link Usage#unknown()},
     * exit code to 0, cost and model to not reported and warnings to none.
     */
    public static Builder builder(String text) {
        return new Builder(text);
    }

    /** A builder holding this result's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder(text);
        b.usage = usage;
        b.reportedCostUsd = reportedCostUsd;
        b.reportedModel = reportedModel;
        b.exitCode = exitCode;
        b.warnings.addAll(warnings);
        b.modelUsage.addAll(modelUsage);
        b.sessionId = sessionId;
        return b;
    }

    /** Builds {@link ToolResult}s; see {@link ToolResult#builder(String)} for the defaults. Not thread-safe. */
    public static final class Builder {
        private String text;
        private Usage usage = Usage.unknown();
        private Optional<BigDecimal> reportedCostUsd = Optional.empty();
        private Optional<String> reportedModel = Optional.empty();
        private int exitCode;
        private final List<String> warnings = new ArrayList<>();
        private final List<ModelUsage> modelUsage = new ArrayList<>();
        private Optional<String> sessionId = Optional.empty();

        private Builder(String text) {
            this.text = Objects.requireNonNull(text, "text");
        }

        /** Replaces the answer. */
        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        /** The tool's own cost figure in US dollars. */
        public Builder reportedCostUsd(BigDecimal reportedCostUsd) {
            this.reportedCostUsd = Optional.of(reportedCostUsd);
            return this;
        }

        public Builder reportedCostUsd(Optional<BigDecimal> reportedCostUsd) {
            this.reportedCostUsd = Objects.requireNonNull(reportedCostUsd, "reportedCostUsd");
            return this;
        }

        public Builder reportedModel(String reportedModel) {
            this.reportedModel = Optional.of(reportedModel);
            return this;
        }

        public Builder reportedModel(Optional<String> reportedModel) {
            this.reportedModel = Objects.requireNonNull(reportedModel, "reportedModel");
            return this;
        }

        public Builder exitCode(int exitCode) {
            this.exitCode = exitCode;
            return this;
        }

        /** Appends one warning. */
        public Builder warning(String warning) {
            warnings.add(Objects.requireNonNull(warning, "warning"));
            return this;
        }

        /** Replaces all warnings. */
        public Builder warnings(List<String> warnings) {
            Objects.requireNonNull(warnings, "warnings");
            this.warnings.clear();
            warnings.forEach(this::warning);
            return this;
        }

        /** Replaces the per-model breakdown (each model's share, sub-agents included). */
        public Builder modelUsage(List<ModelUsage> modelUsage) {
            Objects.requireNonNull(modelUsage, "modelUsage");
            this.modelUsage.clear();
            modelUsage.forEach(m -> this.modelUsage.add(Objects.requireNonNull(m, "modelUsage entry")));
            return this;
        }

        /** The tool's id of the conversation it kept. */
        public Builder sessionId(String sessionId) {
            this.sessionId = Optional.of(sessionId);
            return this;
        }

        public Builder sessionId(Optional<String> sessionId) {
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            return this;
        }

        /** The result. */
        public ToolResult build() {
            return new ToolResult(text, usage, reportedCostUsd, reportedModel, exitCode, warnings, modelUsage,
                    sessionId);
        }
    }
}
