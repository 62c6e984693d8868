package io.llmservice;

/**
 * The tool exited with a non-zero status. Carries the exit code and the tail (last 2 KB) of
 * its standard error.
 *
 * <pre>{@code
 * // in a ToolAdapter: the process exited with status 2, not worth a fallback
 * throw new ToolExitException(tool.name(), 2, stderrTail, "", false);
 *
 * // in the caller:
 * if (attempt.failure().orElse(null) instanceof ToolExitException x) {
 *     System.err.println(x.tool() + " exited " + x.exitCode() + ": " + x.stderrTail());
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolExitException extends ToolException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final String stderrTail;

    /** A failure whose message quotes the whole {@code stderrTail}. */
    public ToolExitException(String tool, int exitCode, String stderrTail, String detail, boolean retriable) {
        this(tool, exitCode, stderrTail, stderrTail, detail, retriable);
    }

    /**
     * A failure whose message quotes only {@code stderrLine}, the one line of standard error that
     * says what went wrong (a stack trace is no message), while {@link #stderrTail()} keeps the tail.
     */
    public ToolExitException(String tool, int exitCode, String stderrTail, String stderrLine, String detail,
                             boolean retriable) {
        super(ErrorCode.TOOL_EXIT, tool, "exited with status " + exitCode
                + (detail.isEmpty() ? "" : " (" + detail + ")")
                + (stderrLine.isBlank() ? "" : "; stderr: " + stderrLine.strip()), retriable);
        this.exitCode = exitCode;
        this.stderrTail = stderrTail;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The last 2 KB of the tool's standard error. */
    public String stderrTail() {
        return stderrTail;
    }
}
