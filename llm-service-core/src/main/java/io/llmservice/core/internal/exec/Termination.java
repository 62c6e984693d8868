package io.llmservice.core.internal.exec;

/** How a {@link ProcessRunner#run run} ended. */
public enum Termination {
    /** The process exited by itself; {@link ProcessResult#exitCode()} holds its status. */
    EXITED,
    /** The timeout elapsed; the process tree was killed. */
    TIMED_OUT,
    /** The cancellation signal fired or {@link ProcessRunner#killAll()} ran; the tree was killed. */
    CANCELLED,
    /** The waiting thread was interrupted; the tree was killed and the interrupt flag set again. */
    INTERRUPTED
}
