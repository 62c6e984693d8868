package io.llmservice;

/**
 * The tool's output did not match its declared format (e.g. not JSON where JSON was declared).
 *
 * <pre>{@code
 * // in a ToolAdapter that could not read what the tool printed
 * try {
 *     return parse(stdout);
 * } catch (IllegalArgumentException notJson) {
 *     throw new ToolOutputException(tool.name(), "output is not JSON: " + notJson.getMessage(), notJson);
 * }
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolOutputException extends ToolException {
    private static final long serialVersionUID = 1L;

    public ToolOutputException(String tool, String message, Throwable cause) {
        super(ErrorCode.TOOL_OUTPUT_INVALID, tool, message, false, cause);
    }
}
