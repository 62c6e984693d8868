package io.llmservice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * {@code llm-service version}: version, git commit and Java runtime. Loads nothing of the
 * implementation, so it is the cold-start figure of the command line itself.
 */
@Command(name = "version",
        description = "Print the llm-service version, the git commit it was built from and the Java version.")
final class VersionCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Mixin
    CommonOptions common = new CommonOptions();

    VersionCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        for (String line : new BuildInfo.VersionProvider().getVersion()) {
            env.out().println(line);
        }
        return ExitCodes.OK;
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
