package io.llmservice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One piece of work for an LLM tool. Immutable; build with {@link #builder(String)}.
 *
 * <pre>{@code
 * LlmRequest request = LlmRequest.builder("Review this diff ...")
 *         .agent("code-reviewer")
 *         .complexity(Complexity.SIMPLE)
 *         .timeout(Duration.ofMinutes(5))
 *         .label("ticket", "OPS-42")
 *         .build();
 * }</pre>
 *
 * <p>The prompt is passed to the tool byte-exact; nothing in it is interpreted.
 *
 * <p>By default a request leaves no conversation behind: the tool runs with its
 * {@code session.ephemeral} arguments and keeps no transcript. {@link Builder#newSession()} asks
 * the tool to keep the conversation, and {@link Builder#session(Session)} continues one; the
 * response's {@link LlmResponse#session()} names it:
 *
 * <pre>{@code
 * LlmResponse first = llm.route(LlmRequest.builder("Read Main.java.").agent("coder").newSession().build()).execute();
 * LlmResponse next = llm.route(LlmRequest.builder("Now add a test.").agent("coder")
 *         .session(first.session().orElseThrow()).build()).execute();
 * }</pre>
 */
public final class LlmRequest {
    private final String prompt;
    private final String agent;
    private final Complexity complexity;
    private final Duration timeout;
    private final Map<String, String> labels;
    private final String tool;
    private final String model;
    private final Path workingDirectory;
    private final Session session;
    private final boolean newSession;

    private LlmRequest(Builder b) {
        this.prompt = b.prompt;
        this.agent = b.agent;
        this.complexity = b.complexity;
        this.timeout = b.timeout;
        this.labels = Map.copyOf(b.labels);
        this.tool = b.tool;
        this.model = b.model;
        this.workingDirectory = b.workingDirectory;
        this.session = b.session;
        this.newSession = b.newSession;
    }

    /** Starts a request with the given prompt (not empty). */
    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    /** A builder pre-filled with this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder(prompt);
        b.agent = agent;
        b.complexity = complexity;
        b.timeout = timeout;
        b.labels.putAll(labels);
        b.tool = tool;
        b.model = model;
        b.workingDirectory = workingDirectory;
        b.session = session;
        b.newSession = newSession;
        return b;
    }

    public String prompt() {
        return prompt;
    }

    /** The agent on whose behalf the request runs; absent means the default agent, if any. */
    public Optional<String> agent() {
        return Optional.ofNullable(agent);
    }

    public Optional<Complexity> complexity() {
        return Optional.ofNullable(complexity);
    }

    /** Overrides the tool's configured timeout for this request. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** Free-form labels recorded with the invocation. */
    public Map<String, String> labels() {
        return labels;
    }

    /** Forces this tool; validated against the configuration when routed. */
    public Optional<String> tool() {
        return Optional.ofNullable(tool);
    }

    /** Forces this model; validated against the tool's supported models when routed. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The directory the tool runs in; absent means the JVM's working directory. */
    public Optional<Path> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /** The session this request continues; it runs on the session's tool first. */
    public Optional<Session> session() {
        return Optional.ofNullable(session);
    }

    /**
     * Whether the tool keeps the conversation: true for {@link Builder#newSession()} and for a
     * request that continues a {@link #session()}; false (the default) runs the tool without a
     * transcript.
     */
    public boolean keepsSession() {
        return newSession || session != null;
    }

    @Override
    public String toString() {
        // The prompt is deliberately left out: it may hold secrets and is often large.
        return "LlmRequest{agent=" + agent + ", complexity=" + complexity + ", timeout=" + timeout
                + ", tool=" + tool + ", model=" + model + ", labels=" + labels
                + (session != null ? ", session=" + session : newSession ? ", newSession" : "")
                + ", promptChars=" + prompt.length() + "}";
    }

    /** Builds {@link LlmRequest}s. Not thread-safe; use one per request. */
    public static final class Builder {
        private final String prompt;
        private String agent;
        private Complexity complexity;
        private Duration timeout;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String tool;
        private String model;
        private Path workingDirectory;
        private Session session;
        private boolean newSession;

        private Builder(String prompt) {
            Objects.requireNonNull(prompt, "prompt");
            if (prompt.isEmpty()) {
                throw new IllegalArgumentException("prompt must not be empty");
            }
            this.prompt = prompt;
        }

        public Builder agent(String agent) {
            this.agent = requireText(agent, "agent");
            return this;
        }

        public Builder complexity(Complexity complexity) {
            this.complexity = Objects.requireNonNull(complexity, "complexity");
            return this;
        }

        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(requireText(key, "label key"), Objects.requireNonNull(value, "label value"));
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            labels.forEach(this::label);
            return this;
        }

        public Builder tool(String tool) {
            this.tool = requireText(tool, "tool");
            return this;
        }

        public Builder model(String model) {
            this.model = requireText(model, "model");
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
            return this;
        }

        /**
         * Continues {@code session}: the request runs on the session's tool first (a fallback
         * tool starts a new session and the response says so). Replaces {@link #newSession()}.
         */
        public Builder session(Session session) {
            this.session = Objects.requireNonNull(session, "session");
            this.newSession = false;
            return this;
        }

        /**
         * Asks the tool to keep this conversation; {@link LlmResponse#session()} names it, to pass
         * to {@link #session(Session)} on the next request. Replaces {@link #session(Session)}.
         */
        public Builder newSession() {
            this.newSession = true;
            this.session = null;
            return this;
        }

        /**
         * The request.
         *
         * @throws IllegalStateException when {@link #tool(String)} names another tool than the
         *                               {@link #session(Session)} it continues
         */
        public LlmRequest build() {
            if (session != null && tool != null && !tool.equals(session.tool())) {
                throw new IllegalStateException("the request forces tool '" + tool + "' but continues session "
                        + session + " of tool '" + session.tool() + "'; a session can only continue on its own tool:"
                        + " drop .tool(..) or start a new session with .newSession()");
            }
            return new LlmRequest(this);
        }

        private static String requireText(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
