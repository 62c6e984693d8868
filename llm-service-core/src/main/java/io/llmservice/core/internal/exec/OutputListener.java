package io.llmservice.core.internal.exec;

/**
 * Sees a run's standard output while the calling thread reads it, so that work on the output
 * (parsing it) can overlap the tool's own end instead of following it.
 *
 * <pre>{@code
 * ProcessResult r = runner.run(spec, signal, new OutputListener() {
 *     public void paused(byte[] soFar) { maybeParse(soFar); }     // the tool stopped writing for now
 *     public void complete(byte[] stdout) { parseIfChanged(stdout); }  // both streams ended
 * });
 * }</pre>
 *
 * <p>Both methods are called on the thread that called {@link ProcessRunner#run}, only where the
 * runner reads the output on that thread (Linux), and not once a stop was requested (the
 * deadline, a cancellation, or an interrupt once the watchdog has seen it). Neither knows the exit
 * status: a listener prepares, it must not act on the output. A runtime exception it throws is
 * logged and ignored; an error is rethrown once the run is over and its process tree cleaned up.
 * A listener must not change the arrays it is given: the run's result is built from the last one.
 */
public interface OutputListener {

    /** A listener that does nothing. */
    OutputListener NONE = stdout -> { };

    /**
     * Everything the tool wrote to stdout so far has been read and a further read would block: a
     * tool that answers in one go and then exits has usually written its whole answer by now,
     * while its exit still takes tens of microseconds. Called at most
     * {@value StreamCapture#MAX_PAUSES} times per run, and only while stdout is at most
     * {@value StreamCapture#MAX_PAUSE_BYTES} bytes, so a long stream is not copied over and
     * over. Does nothing by default.
     *
     * @param soFar the bytes of stdout read so far; a prefix of what {@link #complete} gets
     */
    default void paused(byte[] soFar) {
    }

    /**
     * Both output streams have ended, before the exit is delivered.
     *
     * @param stdout the bytes {@link ProcessResult#stdout()} will return
     */
    void complete(byte[] stdout);
}
