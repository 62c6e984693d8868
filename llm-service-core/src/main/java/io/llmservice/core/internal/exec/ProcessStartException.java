package io.llmservice.core.internal.exec;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.io.IOException;
import java.util.Objects;

/**
 * The operating system refused to start a process: the file is missing, not executable, not a
 * valid executable format, the working directory does not exist, or the argument list is too
 * long (Linux limits one argument to 128 KiB). Wraps the {@link IOException} of
 * {@link ProcessBuilder#start()}.
 *
 * <p>The message names the executable, never the other arguments (they may hold the prompt).
 */
public final class ProcessStartException extends LlmServiceException {
    private static final long serialVersionUID = 1L;

    private final String executable;

    /** Wraps the failure of {@link ProcessBuilder#start()}. */
    public ProcessStartException(String executable, IOException cause) {
        this(executable, cause, "check that the file exists, is executable and that the working directory exists");
    }

    /** A refusal with its own remedy, such as text the platform charset cannot pass. */
    public ProcessStartException(String executable, IOException cause, String whatToDo) {
        super(ErrorCode.TOOL_IO, "cannot start '" + executable + "': " + cause.getMessage() + "; " + whatToDo, cause);
        this.executable = Objects.requireNonNull(executable, "executable");
    }

    /** The path of the executable that could not be started ({@code command.get(0)}). */
    public String executable() {
        return executable;
    }
}
