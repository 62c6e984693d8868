package io.llmservice;

/**
 * The tool's binary was not found. Retriable: the next candidate runs.
 *
 * <pre>{@code
 * // in a ToolAdapter whose binary is missing: the next candidate runs
 * throw new ToolNotInstalledException(tool.name(), "acme", "not on PATH");
 * }</pre>
 *
 * <p>Immutable once thrown.
 */
public class ToolNotInstalledException extends ToolException {
    private static final long serialVersionUID = 1L;

    private final String binary;

    public ToolNotInstalledException(String tool, String binary, String searched) {
        super(ErrorCode.TOOL_NOT_INSTALLED, tool, "'" + binary + "' is not installed (" + searched
                + "); install it or set tools." + tool + ".binary to its path", true);
        this.binary = binary;
    }

    public String binary() {
        return binary;
    }
}
