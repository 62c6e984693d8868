package io.llmservice.cli;

import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.LlmService;
import io.llmservice.config.LlmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code llm-service config validate [PATH]}: loads the configuration through the public builder
 * and prints a one-line summary, or every problem as {@code file:line:column: path: message}
 * (on stderr) and exits 2.
 */
@Command(name = "validate", sortOptions = false,
        description = {"Check a configuration and print a summary or every problem.",
                "Prints 'valid: N agents, ...', or every problem as one file:line:column line (exit code 2)."
                        + " PATH defaults to the configuration lookup."})
final class ConfigValidateCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", description = "The file or directory to check.")
    Path path;

    @Mixin
    CommonOptions common = new CommonOptions();

    ConfigValidateCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (path != null) {
            common.config = path;
        }
        ConfigLocator.Location location = ServiceOpener.locate(env, common);
        LlmConfig config;
        // Validating reads the configuration only: the configured store is not opened (for H2 that
        // would start its daemon, create the file, and fail a valid configuration on a damaged store).
        try (LlmService llm = ServiceOpener.openWithoutStore(env, location)) {
            config = llm.config();
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                env.err().println(p);
            }
            env.err().println("invalid: " + e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                    + " in " + location.path());
            return ExitCodes.USAGE;
        }
        env.out().println("valid: " + count(config.agents().size(), "agent") + ", "
                + count(config.tools().size(), "tool") + ", " + count(config.models().size(), "model") + ", "
                + count(config.policies().budgets().size(), "budget") + ", "
                + count(config.policies().rateLimits().size(), "rate limit") + " (" + location.path() + ")");
        if (common.verbose()) {
            env.out().println("agents: " + String.join(", ", config.agents().keySet()));
            env.out().println("tools: " + String.join(", ", config.tools().keySet()));
            env.out().println("sources: " + String.join(", ", config.sources()));
        }
        return ExitCodes.OK;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
