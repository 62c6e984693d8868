package io.llmservice.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code llm-service}: the top of the command tree; without a command it prints the usage. */
@Command(name = "llm-service", versionProvider = BuildInfo.VersionProvider.class,
        description = "Routes prompts to LLM CLI tools (claude, codex, gemini, ...) with fallbacks, budgets,"
                + " rate limits and telemetry.",
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%nConfiguration lookup:%n",
        footer = {"  1. --config PATH", "  2. $LLM_SERVICE_CONFIG", "  3. ./llm-service.yaml or ./.llm-service/",
                "  4. your configuration directory (llm-service.yaml or the split files):",
                "     Linux   $XDG_CONFIG_HOME/llm-service/, else ~/.config/llm-service/",
                "     macOS   ~/Library/Application Support/llm-service/",
                "     Windows %%APPDATA%%\\llm-service\\",
                "  5. ~/.config/llm-service/ if 4 is elsewhere (the old place)",
                "'llm-service config init' writes a starter.", "",
                "Run 'llm-service COMMAND --help' for a command's options. Docs: docs/cli.md."})
final class RootCommand implements Callable<Integer> {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    /** Given before the subcommand; {@link Main} passes them on to it. */
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    RootCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        env.err().println("error: missing command");
        spec.commandLine().usage(env.err(), CommandLine.Help.Ansi.OFF);
        return ExitCodes.USAGE;
    }
}
