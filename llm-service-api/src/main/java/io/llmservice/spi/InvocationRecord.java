package io.llmservice.spi;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One row of the invocation log: one attempt of one request (or a request refused before any
 * attempt, with attempt number 0). Build one with {@link #builder()}; derive one from another with
 * {@link #toBuilder()}. The canonical constructor stays public, but it breaks whenever a component
 * is added: prefer the builder.
 *
 * <pre>{@code
 * InvocationRecord r = InvocationRecord.builder()
 *         .requestId("req-1").attempt(1).startedAt(clock.instant())
 *         .agent("code-reviewer").team("platform").tool("claude").model("claude-sonnet-4-5")
 *         .outcome(Outcome.SUCCESS).exitCode(0).usage(Usage.of(1200, 300, 0, 0))
 *         .costUsd(new BigDecimal("0.0081")).costSource(CostSource.TOOL_REPORTED)
 *         .latency(Duration.ofMillis(4200))
 *         .build();
 * store.record(r);
 * InvocationRecord relabelled = r.toBuilder().label("ticket", "OPS-42").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param requestId    groups the attempts of one request
 * @param attempt      1-based attempt number; 0 for a request refused before running
 * @param startedAt    when the attempt started
 * @param agent        the agent
 * @param team         the agent's team
 * @param tool         the tool ({@code ""} when no route was found)
 * @param model        the catalogue model ({@code ""} when no route was found)
 * @param outcome      how it ended
 * @param exitCode     the process exit status, when it exited by itself
 * @param usage        tokens, possibly unknown
 * @param costUsd      cost, when known
 * @param costSource   where the cost came from
 * @param reservedUsd  the budget reservation made for the attempt (the estimate), when a budget applied;
 *                     {@code costUsd - reservedUsd} is the overrun when positive
 * @param latency      wall time of the attempt
 * @param errorCode    the error code's id when it failed
 * @param errorSummary a one-line error summary ({@code ""} on success)
 * @param promptText   the prompt, only with {@code privacy: full}, secrets redacted
 * @param responseText the answer, only with {@code privacy: full}, secrets redacted
 * @param labels       the request's labels
 * @param modelUsage   each model's share of the attempt when the tool reports a per-model breakdown
 *                     (a sub-agent's model has its own entry; {@code usage} and {@code costUsd} are
 *                     the totals); empty otherwise. Stats by model book each share under its model
 * @param routeInput   what routing decided the request from (estimate, complexity hint, explicit tool and
 *                     model), the same on every record of the request; empty on records logged before it was
 *                     kept (such records cannot be replayed by {@code whatif})
 */
public record InvocationRecord(String requestId, int attempt, Instant startedAt, String agent, Optional<String> team,
                               String tool, String model, Outcome outcome, OptionalInt exitCode, Usage usage,
                               Optional<BigDecimal> costUsd, CostSource costSource, Optional<BigDecimal> reservedUsd,
                               Duration latency,
                               Optional<String> errorCode, String errorSummary, Optional<String> promptText,
                               Optional<String> responseText, Map<String, String> labels,
                               List<ModelUsage> modelUsage, Optional<RouteInput> routeInput) {
    public InvocationRecord {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(exitCode, "exitCode");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(costUsd, "costUsd");
        Objects.requireNonNull(costSource, "costSource");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorSummary, "errorSummary");
        Objects.requireNonNull(promptText, "promptText");
        Objects.requireNonNull(responseText, "responseText");
        labels = Map.copyOf(labels);
        modelUsage = List.copyOf(modelUsage);
        Objects.requireNonNull(routeInput, "routeInput");
        if (modelUsage.stream().map(ModelUsage::model).distinct().count() != modelUsage.size()) {
            throw new IllegalArgumentException("modelUsage must hold one share per model, was "
                    + modelUsage.stream().map(ModelUsage::model).toList());
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
    }

    /** A record without a route input; the components as before it existed. Prefer the builder. */
    public InvocationRecord(String requestId, int attempt, Instant startedAt, String agent, Optional<String> team,
                            String tool, String model, Outcome outcome, OptionalInt exitCode, Usage usage,
                            Optional<BigDecimal> costUsd, CostSource costSource, Optional<BigDecimal> reservedUsd,
                            Duration latency, Optional<String> errorCode, String errorSummary,
                            Optional<String> promptText, Optional<String> responseText, Map<String, String> labels,
                            List<ModelUsage> modelUsage) {
        this(requestId, attempt, startedAt, agent, team, tool, model, outcome, exitCode, usage, costUsd, costSource,
                reservedUsd, latency, errorCode, errorSummary, promptText, responseText, labels, modelUsage,
                Optional.empty());
    }

    /** A record without a per-model breakdown; the components as before it existed. Prefer the builder. */
    public InvocationRecord(String requestId, int attempt, Instant startedAt, String agent, Optional<String> team,
                            String tool, String model, Outcome outcome, OptionalInt exitCode, Usage usage,
                            Optional<BigDecimal> costUsd, CostSource costSource, Optional<BigDecimal> reservedUsd,
                            Duration latency, Optional<String> errorCode, String errorSummary,
                            Optional<String> promptText, Optional<String> responseText, Map<String, String> labels) {
        this(requestId, attempt, startedAt, agent, team, tool, model, outcome, exitCode, usage, costUsd, costSource,
                reservedUsd, latency, errorCode, errorSummary, promptText, responseText, labels, List.of());
    }

    /** A builder with nothing set; see {@link Builder} for the required parts and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.requestId = requestId;
        b.attempt = attempt;
        b.startedAt = startedAt;
        b.agent = agent;
        b.team = team;
        b.tool = tool;
        b.model = model;
        b.outcome = outcome;
        b.exitCode = exitCode;
        b.usage = usage;
        b.costUsd = costUsd;
        b.costSource = costSource;
        b.reservedUsd = reservedUsd;
        b.latency = latency;
        b.errorCode = errorCode;
        b.errorSummary = errorSummary;
        b.promptText = promptText;
        b.responseText = responseText;
        b.labels.putAll(labels);
        b.modelUsage.addAll(modelUsage);
        b.routeInput = routeInput;
        return b;
    }

    /**
     * Builds {@link InvocationRecord}s. {@code requestId}, {@code startedAt}, {@code agent},
     * {@code outcome} and {@code latency} are required; {@code attempt} defaults to 1, {@code tool},
     * {@code model} and {@code errorSummary} to {@code ""}, {@code usage} to {@link Usage#unknown()},
     * {@code costSource} to {@link CostSource#UNKNOWN}, the optional parts to empty and the labels
     * to none. Setters reject {@code null}; the {@code Optional} overloads take empty for "none".
     * Not thread-safe.
     */
    public static final class Builder {
        private String requestId;
        private int attempt = 1;
        private Instant startedAt;
        private String agent;
        private Optional<String> team = Optional.empty();
        private String tool = "";
        private String model = "";
        private Outcome outcome;
        private OptionalInt exitCode = OptionalInt.empty();
        private Usage usage = Usage.unknown();
        private Optional<BigDecimal> costUsd = Optional.empty();
        private CostSource costSource = CostSource.UNKNOWN;
        private Optional<BigDecimal> reservedUsd = Optional.empty();
        private Duration latency;
        private Optional<String> errorCode = Optional.empty();
        private String errorSummary = "";
        private Optional<String> promptText = Optional.empty();
        private Optional<String> responseText = Optional.empty();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<ModelUsage> modelUsage = new ArrayList<>();
        private Optional<RouteInput> routeInput = Optional.empty();

        private Builder() {
        }

        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        /** 1-based attempt number; 0 for a request refused before running. */
        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
            return this;
        }

        public Builder agent(String agent) {
            this.agent = Objects.requireNonNull(agent, "agent");
            return this;
        }

        public Builder team(String team) {
            this.team = Optional.of(team);
            return this;
        }

        public Builder team(Optional<String> team) {
            this.team = Objects.requireNonNull(team, "team");
            return this;
        }

        public Builder tool(String tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            return this;
        }

        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        public Builder exitCode(int exitCode) {
            this.exitCode = OptionalInt.of(exitCode);
            return this;
        }

        public Builder exitCode(OptionalInt exitCode) {
            this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
            return this;
        }

        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        public Builder costUsd(BigDecimal costUsd) {
            this.costUsd = Optional.of(costUsd);
            return this;
        }

        public Builder costUsd(Optional<BigDecimal> costUsd) {
            this.costUsd = Objects.requireNonNull(costUsd, "costUsd");
            return this;
        }

        public Builder costSource(CostSource costSource) {
            this.costSource = Objects.requireNonNull(costSource, "costSource");
            return this;
        }

        public Builder reservedUsd(BigDecimal reservedUsd) {
            this.reservedUsd = Optional.of(reservedUsd);
            return this;
        }

        public Builder reservedUsd(Optional<BigDecimal> reservedUsd) {
            this.reservedUsd = Objects.requireNonNull(reservedUsd, "reservedUsd");
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        public Builder errorCode(String errorCode) {
            this.errorCode = Optional.of(errorCode);
            return this;
        }

        public Builder errorCode(Optional<String> errorCode) {
            this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
            return this;
        }

        public Builder errorSummary(String errorSummary) {
            this.errorSummary = Objects.requireNonNull(errorSummary, "errorSummary");
            return this;
        }

        public Builder promptText(String promptText) {
            this.promptText = Optional.of(promptText);
            return this;
        }

        public Builder promptText(Optional<String> promptText) {
            this.promptText = Objects.requireNonNull(promptText, "promptText");
            return this;
        }

        public Builder responseText(String responseText) {
            this.responseText = Optional.of(responseText);
            return this;
        }

        public Builder responseText(Optional<String> responseText) {
            this.responseText = Objects.requireNonNull(responseText, "responseText");
            return this;
        }

        /** Adds one label, replacing an earlier value of the same key. */
        public Builder label(String key, String value) {
            labels.put(Objects.requireNonNull(key, "label key"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        /** Replaces all labels. */
        public Builder labels(Map<String, String> labels) {
            this.labels.clear();
            labels.forEach(this::label);
            return this;
        }

        /** Replaces the per-model breakdown (each model's share, sub-agents included). */
        public Builder modelUsage(List<ModelUsage> modelUsage) {
            Objects.requireNonNull(modelUsage, "modelUsage");
            this.modelUsage.clear();
            modelUsage.forEach(m -> this.modelUsage.add(Objects.requireNonNull(m, "modelUsage entry")));
            return this;
        }

        /** What routing decided the request from. */
        public Builder routeInput(RouteInput routeInput) {
            this.routeInput = Optional.of(routeInput);
            return this;
        }

        public Builder routeInput(Optional<RouteInput> routeInput) {
            this.routeInput = Objects.requireNonNull(routeInput, "routeInput");
            return this;
        }

        /**
         * The record.
         *
         * @throws IllegalStateException    when a required part was not set, naming it
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public InvocationRecord build() {
            require(requestId, "requestId");
            require(startedAt, "startedAt");
            require(agent, "agent");
            require(outcome, "outcome");
            require(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("InvocationRecord.latency must be >= 0, was " + latency);
            }
            return new InvocationRecord(requestId, attempt, startedAt, agent, team, tool, model, outcome, exitCode,
                    usage, costUsd, costSource, reservedUsd, latency, errorCode, errorSummary, promptText,
                    responseText, labels, modelUsage, routeInput);
        }

        private static void require(Object value, String part) {
            if (value == null) {
                throw new IllegalStateException("InvocationRecord." + part + " is required and was not set");
            }
        }
    }
}
