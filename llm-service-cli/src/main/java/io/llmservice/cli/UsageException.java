package io.llmservice.cli;

import java.util.Objects;

/**
 * A mistake of the user's the command line itself detects (no configuration found, a file it
 * will not overwrite, stdin that is not UTF-8): exit code 2, the message and a hint.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    UsageException(String message, String hint) {
        super(message);
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    String hint() {
        return hint;
    }
}
