package io.llmservice.core.internal.exec;

import java.time.Clock;

/**
 * Every {@link ProcessRunnerIT} test with the output drained on pool threads, the way the runner
 * works where a pipe's holders cannot be found (no {@code /proc}: macOS, Windows) and when a
 * tool exits before its pipes could be identified.
 */
class PooledProcessRunnerIT extends ProcessRunnerIT {

    @Override
    ProcessRunner newRunner(Clock clock) {
        return new ProcessRunner(clock, false);
    }

    @Override
    boolean killsPipeHolders() {
        return false;
    }
}
