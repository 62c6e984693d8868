package io.llmservice;

/** The tool's output did not match its declared format (e.g. not JSON where JSON was declared). */
public class ToolOutputException extends ToolException {
    private static final long serialVersionUID = 1L;

    public ToolOutputException(String tool, String message, Throwable cause) {
        super(ErrorCode.TOOL_OUTPUT_INVALID, tool, message, false, cause);
    }
}
