package io.llmservice;

import java.util.OptionalInt;

/**
 * The tool reported an error in its output ({@code is_error}, an error event, or an error
 * object), whatever its exit status. When the tool reports the vendor API's HTTP status,
 * {@link #errorStatus()} holds it: 429 and 5xx are retriable; 401/403 are raised with code
 * {@link ErrorCode#TOOL_AUTHENTICATION} and are not.
 *
 * <pre>{@code
 * // in a ToolAdapter: the vendor API said 429 through the tool's output; retriable, so the next candidate runs
 * throw new ToolReportedErrorException(ErrorCode.TOOL_REPORTED_ERROR, tool.name(), "rate limited by the API", 429, 0, true);
 *
 * // in the caller:
 * if (attempt.failure().orElse(null) instanceof ToolReportedErrorException r) {
 *     r.errorStatus().ifPresent(status -> System.err.println("vendor API answered " + status));
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolReportedErrorException extends ToolException {
    private static final long serialVersionUID = 1L;

    private final int errorStatus;
    private final int exitCode;

    public ToolReportedErrorException(ErrorCode code, String tool, String message, int errorStatus, int exitCode,
                                      boolean retriable) {
        super(code, tool, message, retriable);
        this.errorStatus = errorStatus;
        this.exitCode = exitCode;
    }

    /** The vendor API's HTTP status as the tool reported it; empty when not reported. */
    public OptionalInt errorStatus() {
        return errorStatus <= 0 ? OptionalInt.empty() : OptionalInt.of(errorStatus);
    }

    public int exitCode() {
        return exitCode;
    }
}
