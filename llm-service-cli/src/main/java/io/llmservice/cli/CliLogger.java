package io.llmservice.cli;

import org.slf4j.simple.SimpleLogger;

import java.io.PrintStream;

/** An slf4j-simple logger that prints a logged exception's stack trace only when debug is on ({@code --verbose}). */
final class CliLogger extends SimpleLogger {
    private static final long serialVersionUID = 1L;

    CliLogger(String name) {
        super(name);
    }

    @Override
    protected void writeThrowable(Throwable t, PrintStream targetStream) {
        // The message already says what failed (every library message names the cause); the trace is for --verbose.
        if (isDebugEnabled()) {
            super.writeThrowable(t, targetStream);
        }
    }
}
