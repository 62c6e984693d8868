package io.llmservice.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** {@code --config}, {@code --verbose} and {@code --help}, mixed into every command. Written by picocli; one per command. */
public final class CommonOptions {

    @Option(names = "--config", paramLabel = "PATH",
            description = "Configuration file or directory. Default: $LLM_SERVICE_CONFIG, ./llm-service.yaml,"
                    + " ./.llm-service/, your configuration directory (the first that exists).")
    Path config;

    @Option(names = "--verbose", description = "Explain more on stderr; stack traces with errors; debug logging.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public CommonOptions() {
    }

    Optional<Path> config() {
        return Optional.ofNullable(config);
    }

    boolean verbose() {
        return verbose;
    }
}
