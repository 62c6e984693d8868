package io.llmservice;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
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
 * <p>The library makes these; adapters' tests and stand-in services may build one with
 * {@link #builder()} or derive one with {@link #toBuilder()}:
 *
 * <pre>{@code
 * Attempt only = Attempt.succeeded(1, "claude", "claude-sonnet-4-5", startedAt, Duration.ofMillis(900),
 *         Usage.unknown(), Optional.empty(), CostSource.UNKNOWN, 0);
 * LlmResponse canned = LlmResponse.builder()
 *         .requestId("req-1").text("LGTM").tool("claude").model("claude-sonnet-4-5")
 *         .latency(Duration.ofMillis(900)).attempt(only)
 *         .build();
 * LlmResponse redacted = canned.toBuilder().text("[redacted]").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
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
 * @param modelUsage    each model's share of the call when the tool reports a per-model breakdown
 *                      (a sub-agent on another model has its own entry); {@code usage} and
 *                      {@code costUsd} are then their sums. Empty when the tool gives no breakdown
 * @param session       the conversation the tool kept, to continue with
 *                      {@link LlmRequest.Builder#session(Session)}; empty unless the request asked
 *                      for a session ({@link LlmRequest#keepsSession()}) and the tool reported its id.
 *                      When a fallback tool served a request that continued another tool's session,
 *                      this is the fallback's new session and {@code warnings} say so.
 */
public record LlmResponse(String requestId, String text, String tool, String model, Optional<String> reportedModel,
                          Usage usage, Optional<BigDecimal> costUsd, CostSource costSource, Duration latency,
                          List<Attempt> attempts, List<String> warnings, List<ModelUsage> modelUsage,
                          Optional<Session> session) {

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
        modelUsage = List.copyOf(modelUsage);
        Objects.requireNonNull(session, "session");
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a response has at least one attempt");
        }
    }

    /** A response without a per-model breakdown or a session; the components before they existed. Prefer the builder. */
    public LlmResponse(String requestId, String text, String tool, String model, Optional<String> reportedModel,
                       Usage usage, Optional<BigDecimal> costUsd, CostSource costSource, Duration latency,
                       List<Attempt> attempts, List<String> warnings) {
        this(requestId, text, tool, model, reportedModel, usage, costUsd, costSource, latency, attempts, warnings,
                List.of(), Optional.empty());
    }

    /** A builder with nothing set; see {@link Builder} for the required parts and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this response's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.requestId = requestId;
        b.text = text;
        b.tool = tool;
        b.model = model;
        b.reportedModel = reportedModel;
        b.usage = usage;
        b.costUsd = costUsd;
        b.costSource = costSource;
        b.latency = latency;
        b.attempts.addAll(attempts);
        b.warnings.addAll(warnings);
        b.modelUsage.addAll(modelUsage);
        b.session = session;
        return b;
    }

    @Override
    public String toString() {
        return "LlmResponse{requestId=" + requestId + ", tool=" + tool + ", model=" + model + ", usage=" + usage
                + ", costUsd=" + costUsd.map(BigDecimal::toPlainString).orElse("unknown") + ", costSource="
                + costSource + ", latency=" + latency.toMillis() + "ms, attempts=" + attempts.size()
                + ", textChars=" + text.length() + session.map(s -> ", session=" + s).orElse("") + "}";
    }

    /**
     * Builds {@link LlmResponse}s. {@code requestId}, {@code text}, {@code tool}, {@code model},
     * {@code latency} and at least one attempt are required; {@code usage} defaults to
     * {@link Usage#unknown()}, {@code costSource} to {@link CostSource#UNKNOWN}, the optional parts
     * to empty and the warnings to none. Not thread-safe.
     */
    public static final class Builder {
        private String requestId;
        private String text;
        private String tool;
        private String model;
        private Optional<String> reportedModel = Optional.empty();
        private Usage usage = Usage.unknown();
        private Optional<BigDecimal> costUsd = Optional.empty();
        private CostSource costSource = CostSource.UNKNOWN;
        private Duration latency;
        private final List<Attempt> attempts = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<ModelUsage> modelUsage = new ArrayList<>();
        private Optional<Session> session = Optional.empty();

        private Builder() {
        }

        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
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

        public Builder reportedModel(String reportedModel) {
            this.reportedModel = Optional.of(reportedModel);
            return this;
        }

        public Builder reportedModel(Optional<String> reportedModel) {
            this.reportedModel = Objects.requireNonNull(reportedModel, "reportedModel");
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

        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Appends one attempt; the last one appended is the one that succeeded. */
        public Builder attempt(Attempt attempt) {
            attempts.add(Objects.requireNonNull(attempt, "attempt"));
            return this;
        }

        /** Replaces all attempts. */
        public Builder attempts(List<Attempt> attempts) {
            Objects.requireNonNull(attempts, "attempts");
            this.attempts.clear();
            attempts.forEach(this::attempt);
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

        /** The conversation the tool kept; see {@link LlmResponse#session()}. */
        public Builder session(Session session) {
            this.session = Optional.of(session);
            return this;
        }

        public Builder session(Optional<Session> session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /**
         * The response.
         *
         * @throws IllegalStateException    when a required part was not set, naming it
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public LlmResponse build() {
            require(requestId, "requestId");
            require(text, "text");
            require(tool, "tool");
            require(model, "model");
            require(latency, "latency");
            if (attempts.isEmpty()) {
                throw new IllegalStateException("LlmResponse.attempts needs at least one attempt, was none");
            }
            if (latency.isNegative()) {
                throw new IllegalArgumentException("LlmResponse.latency must be >= 0, was " + latency);
            }
            return new LlmResponse(requestId, text, tool, model, reportedModel, usage, costUsd, costSource, latency,
                    attempts, warnings, modelUsage, session);
        }

        private static void require(Object value, String part) {
            if (value == null) {
                throw new IllegalStateException("LlmResponse." + part + " is required and was not set");
            }
        }
    }
}
