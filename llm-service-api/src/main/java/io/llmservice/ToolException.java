package io.llmservice;

import java.util.Objects;

/**
 * A tool failed to serve an attempt. {@link #retriable()} decides whether the router falls back
 * to the next candidate: true for not installed, timeouts, and failures whose output matches the
 * tool's {@code retriable_when} patterns or reports HTTP 429/5xx; false otherwise.
 *
 * <pre>{@code
 * // in a ToolAdapter: say whether the next candidate should be tried
 * throw new ToolException(ErrorCode.TOOL_IO, tool.name(), "connection reset by acme.example", true, cause);
 *
 * // in the caller, after a request failed:
 * if (attempt.failure().orElse(null) instanceof ToolException t) {
 *     System.err.println(t.tool() + (t.retriable() ? " (retriable): " : ": ") + t.getMessage());
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final String tool;
    private final boolean retriable;

    public ToolException(ErrorCode code, String tool, String message, boolean retriable, Throwable cause) {
        super(code, "tool '" + tool + "': " + message, cause);
        this.tool = Objects.requireNonNull(tool, "tool");
        this.retriable = retriable;
    }

    public ToolException(ErrorCode code, String tool, String message, boolean retriable) {
        this(code, tool, message, retriable, null);
    }

    /** The tool's configured name. */
    public String tool() {
        return tool;
    }

    @Override
    public boolean retriable() {
        return retriable;
    }
}
