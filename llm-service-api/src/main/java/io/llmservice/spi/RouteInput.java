package io.llmservice.spi;

import io.llmservice.Complexity;

import java.util.Objects;
import java.util.Optional;

/**
 * What routing decided a request's candidates from, kept with each of its records so a later
 * configuration can re-decide the request without running anything ({@code llm-service whatif}):
 * the prompt's estimated token count, the complexity hint, and the tool and model the request asked
 * for explicitly. Never the prompt itself.
 *
 * <pre>{@code
 * RouteInput in = RouteInput.builder(1800).complexity(Complexity.SIMPLE).build();
 * InvocationRecord r = InvocationRecord.builder()...routeInput(in).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param estimatedPromptTokens the prompt's estimated token count, as routing saw it, &ge; 0
 * @param complexity            the request's complexity hint, if it gave one
 * @param tool                  the tool the request asked for explicitly, if any
 * @param model                 the model the request asked for explicitly, if any
 */
public record RouteInput(long estimatedPromptTokens, Optional<Complexity> complexity, Optional<String> tool,
                         Optional<String> model) {
    public RouteInput {
        if (estimatedPromptTokens < 0) {
            throw new IllegalArgumentException("RouteInput.estimatedPromptTokens must be >= 0, was "
                    + estimatedPromptTokens);
        }
        Objects.requireNonNull(complexity, "complexity");
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
    }

    /** A builder for a request estimated at {@code estimatedPromptTokens}, with no hint and no override. */
    public static Builder builder(long estimatedPromptTokens) {
        return new Builder(estimatedPromptTokens);
    }

    /** Builds {@link RouteInput}s; setters reject {@code null}, the {@code Optional} overloads take empty for "none". */
    public static final class Builder {
        private final long estimatedPromptTokens;
        private Optional<Complexity> complexity = Optional.empty();
        private Optional<String> tool = Optional.empty();
        private Optional<String> model = Optional.empty();

        private Builder(long estimatedPromptTokens) {
            this.estimatedPromptTokens = estimatedPromptTokens;
        }

        public Builder complexity(Complexity complexity) {
            this.complexity = Optional.of(complexity);
            return this;
        }

        public Builder complexity(Optional<Complexity> complexity) {
            this.complexity = Objects.requireNonNull(complexity, "complexity");
            return this;
        }

        public Builder tool(String tool) {
            this.tool = Optional.of(tool);
            return this;
        }

        public Builder tool(Optional<String> tool) {
            this.tool = Objects.requireNonNull(tool, "tool");
            return this;
        }

        public Builder model(String model) {
            this.model = Optional.of(model);
            return this;
        }

        public Builder model(Optional<String> model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The input.
         *
         * @throws IllegalArgumentException when the estimate is negative
         */
        public RouteInput build() {
            return new RouteInput(estimatedPromptTokens, complexity, tool, model);
        }
    }
}
