package io.llmservice.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a CLI keeps and continues conversations (YAML {@code session:} of a tool): the arguments
 * added to the tool's {@code args} for each kind of call, and where its output names the session.
 *
 * <pre>{@code
 * SessionSpec claude = SessionSpec.builder()
 *         .ephemeral(List.of("--no-session-persistence"))
 *         .resume(List.of("--resume", "{session}"))
 *         .id(List.of("$.session_id"))
 *         .build();
 * }</pre>
 *
 * <p>The arguments go where {@code args} holds the element {@value #ARGS_PLACEHOLDER}, else at the
 * end; {@code {session}} in {@code resume} is the session's id, always one whole argument.
 * Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param ephemeral arguments of a call without a session: the tool keeps no transcript
 * @param start     arguments of a call that starts a session to be kept (often none)
 * @param resume    arguments of a call that continues a session; holds {@code {session}}
 * @param id        JSONPaths (first match wins) of the session id in the tool's output
 */
public record SessionSpec(List<String> ephemeral, List<String> start, List<String> resume, List<String> id) {

    /** The element of {@code args} that the session arguments replace. */
    public static final String ARGS_PLACEHOLDER = "{session_args}";
    /** The placeholder in {@code resume} for the session's id. */
    public static final String SESSION_PLACEHOLDER = "{session}";

    public SessionSpec {
        ephemeral = List.copyOf(ephemeral);
        start = List.copyOf(start);
        resume = List.copyOf(resume);
        id = List.copyOf(id);
    }

    /** A builder with every list empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SessionSpec}s; each setter replaces its list. Not thread-safe. */
    public static final class Builder {
        private final List<String> ephemeral = new ArrayList<>();
        private final List<String> start = new ArrayList<>();
        private final List<String> resume = new ArrayList<>();
        private final List<String> id = new ArrayList<>();

        private Builder() {
        }

        public Builder ephemeral(List<String> args) {
            return replace(ephemeral, args);
        }

        public Builder start(List<String> args) {
            return replace(start, args);
        }

        public Builder resume(List<String> args) {
            return replace(resume, args);
        }

        /** JSONPaths of the session id, first match wins. */
        public Builder id(List<String> jsonPaths) {
            return replace(id, jsonPaths);
        }

        public SessionSpec build() {
            return new SessionSpec(ephemeral, start, resume, id);
        }

        private Builder replace(List<String> target, List<String> values) {
            Objects.requireNonNull(values, "values");
            target.clear();
            target.addAll(values);
            return this;
        }
    }
}
