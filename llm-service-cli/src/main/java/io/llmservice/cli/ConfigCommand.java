package io.llmservice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code llm-service config init|validate}. Without a subcommand it is a usage error. */
@Command(name = "config", description = "Write a starter configuration, or validate one.",
        synopsisSubcommandLabel = "(init | validate)")
final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: init or validate");
    }
}
