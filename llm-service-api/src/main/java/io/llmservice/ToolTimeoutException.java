package io.llmservice;

import java.time.Duration;

/**
 * The tool ran past its timeout; its whole process tree was killed. Retriable.
 *
 * <pre>{@code
 * // in a ToolAdapter whose tool outlived inv.timeout(), after killing it:
 * throw new ToolTimeoutException(tool.name(), inv.timeout());
 * // or, when its output says what it was waiting for:
 * throw new ToolTimeoutException(tool.name(), inv.timeout(), "could not reach the API: connection refused");
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolTimeoutException extends ToolException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public ToolTimeoutException(String tool, Duration timeout) {
        this(tool, timeout, "");
    }

    /**
     * @param cause what the tool was stuck on, as far as its output says, e.g.
     *              {@code "could not reach the API: connection refused"}; empty when unknown
     */
    public ToolTimeoutException(String tool, Duration timeout, String cause) {
        super(ErrorCode.TOOL_TIMEOUT, tool, "timed out after " + timeout.toMillis() + " ms"
                + (cause.isBlank() ? "" : " (" + cause.strip() + ")")
                + "; the process tree was killed (raise tools." + tool + ".timeout or the request timeout)", true);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
