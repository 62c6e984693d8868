package io.llmservice.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code --config}, {@code --verbose} and {@code --help}, mixed into every command and into the top
 * command, so they are accepted before or after the subcommand, as git and kubectl accept theirs:
 * {@code llm-service --config x.yaml exec hi} and {@code llm-service exec --config x.yaml hi} are
 * the same. Written by picocli; one per command. {@link Main} hands what was given to a command on
 * to its subcommand ({@link #inherit}) before the subcommand runs.
 */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "PATH",
            description = "Configuration file or directory. Default: the first found in the lookup order that"
                    + " 'llm-service --help' lists.")
    Path config;

    @Option(names = "--verbose", description = "Explain more on stderr; stack traces with errors; debug logging.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public CommonOptions() {
    }

    /** Takes the values given to a parent command ({@code llm-service --verbose exec ...}) unless given here too. */
    void inherit(CommonOptions parent) {
        if (config == null) {
            config = parent.config;
        }
        verbose |= parent.verbose;
    }

    Optional<Path> config() {
        return Optional.ofNullable(config);
    }

    boolean verbose() {
        return verbose;
    }
}
