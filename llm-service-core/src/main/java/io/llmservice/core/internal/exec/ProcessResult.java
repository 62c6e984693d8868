package io.llmservice.core.internal.exec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one {@link ProcessRunner#run run}: how it ended, the exit status, the captured
 * output (at most {@link ProcessSpec#maxOutputBytes()} per stream), how many bytes each stream
 * produced in total and whether the capture was capped.
 *
 * <pre>{@code
 * ProcessResult r = runner.run(spec, signal);
 * if (r.termination() == Termination.EXITED && r.exitCode() != 0) {
 *     throw new ToolExitException(..., r.exitCode(), r.stderrTail(2048));
 * }
 * String json = r.stdoutText();
 * }</pre>
 *
 * <p>Immutable: the byte arrays are copied in and out. {@link #toString()} shows sizes only,
 * never the output (it may echo the prompt or a secret).
 *
 * @param termination      how the run ended
 * @param exitCode         the exit status when {@link Termination#EXITED}, otherwise {@code -1}
 * @param stdout           the first bytes of stdout, at most the cap
 * @param stderr           the first bytes of stderr, at most the cap
 * @param stdoutTotalBytes every byte read from stdout, kept or discarded
 * @param stderrTotalBytes every byte read from stderr, kept or discarded
 * @param stdoutCapped     whether stdout produced more than the cap
 * @param stderrCapped     whether stderr produced more than the cap
 * @param elapsed          from start to the end of the run, measured with the runner's clock
 */
public record ProcessResult(Termination termination,
                            int exitCode,
                            byte[] stdout,
                            byte[] stderr,
                            long stdoutTotalBytes,
                            long stderrTotalBytes,
                            boolean stdoutCapped,
                            boolean stderrCapped,
                            Duration elapsed) {

    public ProcessResult {
        Objects.requireNonNull(termination, "termination");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(elapsed, "elapsed");
        if (termination != Termination.EXITED && exitCode != -1) {
            throw new IllegalArgumentException("exitCode must be -1 when termination is " + termination
                    + ", was " + exitCode);
        }
        if (stdoutTotalBytes < stdout.length || stderrTotalBytes < stderr.length) {
            throw new IllegalArgumentException("total byte counts cannot be below the captured lengths");
        }
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    /** A copy of the captured stdout bytes. */
    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    /** A copy of the captured stderr bytes. */
    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    /** Whether the process exited by itself with status 0. */
    public boolean succeeded() {
        return termination == Termination.EXITED && exitCode == 0;
    }

    /** The captured stdout decoded as UTF-8; malformed bytes become U+FFFD. */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The captured stderr decoded as UTF-8; malformed bytes become U+FFFD. */
    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    /**
     * The last {@code maxBytes} bytes of the captured stderr decoded as UTF-8, for error messages
     * ("the last 2 KB of stderr"). A multi-byte character cut by the window is dropped rather
     * than shown as U+FFFD.
     *
     * <p>When stderr was capped, the tail is that of the captured prefix, not of all output.
     */
    public String stderrTail(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
        }
        int from = Math.max(0, stderr.length - maxBytes);
        // Skip UTF-8 continuation bytes (10xxxxxx) so the tail starts at a character boundary.
        while (from < stderr.length && from > 0 && (stderr[from] & 0xC0) == 0x80) {
            from++;
        }
        return new String(stderr, from, stderr.length - from, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof ProcessResult r && termination == r.termination && exitCode == r.exitCode
                && Arrays.equals(stdout, r.stdout) && Arrays.equals(stderr, r.stderr)
                && stdoutTotalBytes == r.stdoutTotalBytes && stderrTotalBytes == r.stderrTotalBytes
                && stdoutCapped == r.stdoutCapped && stderrCapped == r.stderrCapped && elapsed.equals(r.elapsed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(termination, exitCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr),
                stdoutTotalBytes, stderrTotalBytes, stdoutCapped, stderrCapped, elapsed);
    }

    @Override
    public String toString() {
        return "ProcessResult[termination=" + termination + ", exitCode=" + exitCode
                + ", stdout=" + stdout.length + "/" + stdoutTotalBytes + " bytes" + (stdoutCapped ? " (capped)" : "")
                + ", stderr=" + stderr.length + "/" + stderrTotalBytes + " bytes" + (stderrCapped ? " (capped)" : "")
                + ", elapsed=" + elapsed + "]";
    }
}
