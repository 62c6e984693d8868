package io.llmservice.cli;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;

/**
 * The command's SLF4J provider: slf4j-simple ({@code simplelogger.properties}: warn level on stderr,
 * debug with {@code --verbose}), except that a logged exception's stack trace is printed only at debug
 * level. Without {@code --verbose} a user sees the library's one-line messages, never an H2, Flyway or
 * JDBC stack trace; with it, everything. Registered in {@code META-INF/services} of the command's jar,
 * which carries no other SLF4J provider.
 *
 * <p>Public with a public constructor only because {@link java.util.ServiceLoader} needs them; the
 * package is not exported. Thread-safe, like slf4j-simple.
 */
public final class CliLogProvider extends SimpleServiceProvider {
    private volatile ILoggerFactory loggerFactory;

    public CliLogProvider() {
    }

    @Override
    public void initialize() {
        super.initialize();
        loggerFactory = new SimpleLoggerFactory() {
            @Override
            protected Logger createLogger(String name) {
                return new CliLogger(name);
            }
        };
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }
}
