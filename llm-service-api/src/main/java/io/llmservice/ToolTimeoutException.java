package io.llmservice;

import java.time.Duration;

/**
 * The tool ran past its timeout; its whole process tree was killed. Retriable.
 *
 * <pre>{@code
 * // in a ToolAdapter whose tool outlived inv.timeout(), after killing it:
 * throw new ToolTimeoutException(tool.name(), inv.timeout());
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolTimeoutException extends ToolException {
    private static final long serialVersionUID = 1L;

    private final Duration timeout;

    public ToolTimeoutException(String tool, Duration timeout) {
        super(ErrorCode.TOOL_TIMEOUT, tool, "timed out after " + timeout.toMillis()
                + " ms; the process tree was killed (raise tools." + tool + ".timeout or the request timeout)", true);
        this.timeout = timeout;
    }

    public Duration timeout() {
        return timeout;
    }
}
