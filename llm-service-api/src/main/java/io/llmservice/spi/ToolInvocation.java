package io.llmservice.spi;

import io.llmservice.config.ToolDefinition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One invocation of a tool, as the pipeline hands it to a {@link ToolAdapter}.
 *
 * <pre>{@code
 * // in a ToolAdapter
 * public ToolResult invoke(ToolInvocation inv) {
 *     Path dir = inv.workingDirectory().orElse(Path.of(""));
 *     String answer = acme.ask(inv.toolModelName(), inv.prompt(), dir, inv.timeout());
 *     return ToolResult.builder(answer).build();
 * }
 * }</pre>
 *
 * <p>The pipeline makes these; an adapter's own tests build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * ToolInvocation inv = ToolInvocation.builder("Say OK.").requestId("req-1")
 *         .model("claude-haiku-4-5", "haiku").timeout(Duration.ofSeconds(30))
 *         .build();
 * ToolResult r = adapter.invoke(inv);
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param requestId        the request's id
 * @param attempt          the attempt number, from 1
 * @param prompt           the prompt, to be passed byte-exact
 * @param modelId          the catalogue model id
 * @param toolModelName    the tool's own name for the model (the value of {@code {model}})
 * @param timeout          the deadline for the whole invocation
 * @param workingDirectory the directory to run in; empty means the JVM's working directory
 * @param cancellation     signals a cancelled call
 * @param keepsSession     true when the tool is to keep the conversation (a new session, or
 *                         {@code resumeSession}); false runs it without a transcript
 * @param resumeSession    the tool's id of the session to continue; present only with {@code keepsSession}
 */
public record ToolInvocation(String requestId, int attempt, String prompt, String modelId, String toolModelName,
                             Duration timeout, Optional<Path> workingDirectory, CancellationSignal cancellation,
                             boolean keepsSession, Optional<String> resumeSession) {
    public ToolInvocation {
        Objects.requireNonNull(resumeSession, "resumeSession");
        if (resumeSession.isPresent() && !keepsSession) {
            throw new IllegalArgumentException("ToolInvocation.resumeSession needs keepsSession");
        }
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(toolModelName, "toolModelName");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    /** An invocation without a session; kept so that callers of the constructor before sessions still compile. */
    public ToolInvocation(String requestId, int attempt, String prompt, String modelId, String toolModelName,
                          Duration timeout, Optional<Path> workingDirectory, CancellationSignal cancellation) {
        this(requestId, attempt, prompt, modelId, toolModelName, timeout, workingDirectory, cancellation, false,
                Optional.empty());
    }

    /**
     * A builder for an invocation of {@code prompt}. The request id and the model are required;
     * defaults: attempt 1, {@link ToolDefinition#DEFAULT_TIMEOUT}, the JVM's working directory and
     * {@link CancellationSignal#none()}.
     */
    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    /** A builder holding this invocation's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder(prompt);
        b.requestId = requestId;
        b.attempt = attempt;
        b.modelId = modelId;
        b.toolModelName = toolModelName;
        b.timeout = timeout;
        b.workingDirectory = workingDirectory;
        b.cancellation = cancellation;
        b.keepsSession = keepsSession;
        b.resumeSession = resumeSession;
        return b;
    }

    @Override
    public String toString() {
        return "ToolInvocation{requestId=" + requestId + ", attempt=" + attempt + ", model=" + modelId
                + ", timeout=" + timeout + ", promptChars=" + prompt.length()
                + (keepsSession ? ", session=" + resumeSession.orElse("new") : "") + "}";
    }

    /** Builds {@link ToolInvocation}s; see {@link ToolInvocation#builder(String)} for the defaults. Not thread-safe. */
    public static final class Builder {
        private final String prompt;
        private String requestId;
        private int attempt = 1;
        private String modelId;
        private String toolModelName;
        private Duration timeout = ToolDefinition.DEFAULT_TIMEOUT;
        private Optional<Path> workingDirectory = Optional.empty();
        private CancellationSignal cancellation = CancellationSignal.none();
        private boolean keepsSession;
        private Optional<String> resumeSession = Optional.empty();

        private Builder(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
        }

        public Builder requestId(String requestId) {
            this.requestId = Objects.requireNonNull(requestId, "requestId");
            return this;
        }

        /** The attempt number, from 1. */
        public Builder attempt(int attempt) {
            this.attempt = attempt;
            return this;
        }

        /** The catalogue model id and the tool's own name for it (the value of {@code {model}}). */
        public Builder model(String modelId, String toolModelName) {
            this.modelId = Objects.requireNonNull(modelId, "modelId");
            this.toolModelName = Objects.requireNonNull(toolModelName, "toolModelName");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Optional.of(workingDirectory);
            return this;
        }

        public Builder workingDirectory(Optional<Path> workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
            return this;
        }

        public Builder cancellation(CancellationSignal cancellation) {
            this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
            return this;
        }

        /** Asks the tool to keep this conversation as a new session. */
        public Builder newSession() {
            this.keepsSession = true;
            this.resumeSession = Optional.empty();
            return this;
        }

        /** Continues the tool's session {@code sessionId} (its own id, not {@code tool:id}). */
        public Builder resumeSession(String sessionId) {
            this.keepsSession = true;
            this.resumeSession = Optional.of(Objects.requireNonNull(sessionId, "sessionId"));
            return this;
        }

        /**
         * The invocation.
         *
         * @throws IllegalStateException    when the request id or the model was not set
         * @throws IllegalArgumentException when the attempt is below 1 or the timeout not positive,
         *                                  naming the value
         */
        public ToolInvocation build() {
            if (requestId == null) {
                throw new IllegalStateException("ToolInvocation.requestId is required and was not set");
            }
            if (modelId == null) {
                throw new IllegalStateException("ToolInvocation.model is required and was not set");
            }
            if (attempt < 1) {
                throw new IllegalArgumentException("ToolInvocation.attempt must be >= 1, was " + attempt);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("ToolInvocation.timeout must be positive, was " + timeout);
            }
            return new ToolInvocation(requestId, attempt, prompt, modelId, toolModelName, timeout, workingDirectory,
                    cancellation, keepsSession, resumeSession);
        }
    }
}
