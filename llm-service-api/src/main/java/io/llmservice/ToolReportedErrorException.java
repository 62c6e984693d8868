package io.llmservice;

import java.util.OptionalInt;

/**
 * The tool reported an error in its output ({@code is_error}, an error event, or an error
 * object), whatever its exit status. When the tool reports the vendor API's HTTP status,
 * {@link #errorStatus()} holds it: 429 and 5xx are retriable; 401/403 are raised with code
 * {@link ErrorCode#TOOL_AUTHENTICATION} and are not.
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
