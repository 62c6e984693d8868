package io.llmservice.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** One scripted answer of a {@link FakeCli}; built by {@link FakeCli.Builder}. Immutable. */
record FakeCliResponse(byte[] stdout, byte[] stderr, int exitCode, Duration delay, boolean ignoreSigterm,
                       Optional<Duration> grandchildSleep, long floodStdoutBytes, boolean readStdin) {

    FakeCliResponse {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(grandchildSleep, "grandchildSleep");
        stdout = stdout.clone();
        stderr = stderr.clone();
    }

    static final FakeCliResponse DEFAULT = new FakeCliResponse(new byte[0], new byte[0], 0, Duration.ZERO, false,
            Optional.empty(), 0, true);

    /** Seconds with millisecond precision, as {@code sleep(1)} takes them. */
    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis / 1000 + "." + String.format(java.util.Locale.ROOT, "%03d", millis % 1000);
    }
}
