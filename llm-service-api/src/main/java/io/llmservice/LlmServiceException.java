package io.llmservice;

import java.util.Objects;

/**
 * Root of every exception thrown by llm-service. All are unchecked and carry an
 * {@link ErrorCode}; {@link #retriable()} says whether trying another candidate (or later) may
 * succeed, which is what fallback routing acts on.
 *
 * <p>Instances are immutable and safe to share between threads.
 *
 * <pre>{@code
 * try {
 *     LlmResponse r = llm.route(request).execute();
 * } catch (LlmServiceException e) {
 *     System.err.println(e.code().id() + ": " + e.getMessage());   // e.g. LLM-020: budget ... exceeded
 *     if (e.retriable()) {
 *         retryLater(request);
 *     }
 * }
 * }</pre>
 */
public class LlmServiceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public LlmServiceException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public LlmServiceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /** Whether another attempt (another candidate, or the same later) may succeed. */
    public boolean retriable() {
        return false;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + code.id() + " " + code + "]: " + getMessage();
    }
}
