package io.llmservice;

import java.util.Objects;

/**
 * A conversation kept by a coding-agent CLI, named by the tool that owns it and the id that tool
 * gave it. A session is pinned to its tool: only that tool can continue it, so the value carries
 * both. Written as {@code tool:id} ({@link #toString()}, {@link #parse(String)}), which is what
 * {@code llm-service exec --session} takes and prints.
 *
 * <pre>{@code
 * LlmResponse first = llm.route(LlmRequest.builder("Read Main.java and summarise it.")
 *         .agent("coder").newSession().build()).execute();
 * Session session = first.session().orElseThrow();          // e.g. claude-code:4f1c...
 * LlmResponse second = llm.route(LlmRequest.builder("Now add a test for it.")
 *         .agent("coder").session(session).build()).execute();
 * String kept = session.toString();                          // store it, and later:
 * Session again = Session.parse(kept);
 * }</pre>
 *
 * <p>The id is passed to the tool as one argument, so it is checked here: not blank, no
 * whitespace or control characters, and not starting with {@code -} (it would read as an option).
 * Immutable and thread-safe.
 *
 * @param tool the configured name of the tool that created the session, e.g. {@code claude-code}
 * @param id   the tool's own session id, e.g. claude's {@code session_id}
 */
public record Session(String tool, String id) {

    public Session {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(id, "id");
        if (tool.isBlank() || tool.indexOf(':') >= 0 || !printable(tool)) {
            throw new IllegalArgumentException("Session.tool must be a tool name (not blank, no ':', no whitespace),"
                    + " was '" + tool + "'");
        }
        if (id.isBlank() || !printable(id) || id.startsWith("-")) {
            throw new IllegalArgumentException("Session.id must be the tool's session id (not blank, no whitespace"
                    + " or control characters, not starting with '-'), was '" + id + "'");
        }
    }

    /**
     * The session written as {@code tool:id}; the tool is everything before the first {@code :}.
     *
     * @throws IllegalArgumentException when there is no {@code :} or either part is not valid
     */
    public static Session parse(String toolColonId) {
        Objects.requireNonNull(toolColonId, "session");
        int colon = toolColonId.indexOf(':');
        if (colon <= 0 || colon == toolColonId.length() - 1) {
            throw new IllegalArgumentException("a session is written TOOL:ID (e.g. claude-code:4f1c2a...), was '"
                    + toolColonId + "'");
        }
        return new Session(toolColonId.substring(0, colon), toolColonId.substring(colon + 1));
    }

    private static boolean printable(String s) {
        return s.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c));
    }

    /** {@code tool:id}, the form {@link #parse(String)} reads. */
    @Override
    public String toString() {
        return tool + ":" + id;
    }
}
