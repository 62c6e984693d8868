package io.llmservice.cli;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.TelemetryStoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code llm-service telemetry check}: opens the configured telemetry store (an H2 store whose data
 * file lost data is refused right there) and reads all of it back.
 */
@Command(name = "telemetry", sortOptions = false,
        description = {"Verify the telemetry store.",
                "'check' opens it (refusing a damaged file) and reads every record back. Exit code 1 when anything"
                        + " is wrong."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service telemetry check"})
final class TelemetryCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "check")
    String action;

    @Mixin
    CommonOptions common = new CommonOptions();

    TelemetryCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!action.equals("check")) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "': use check");
        }
        TelemetrySettings settings = StoreAccess.settings(env, common);
        TelemetryStoreProvider provider = StoreAccess.provider(settings.store());
        env.out().println("checking the '" + settings.store() + "' store at " + settings.path());
        StoreCheck check = provider.check(settings, Clock.systemUTC());
        check.findings().forEach(env.out()::println);
        return check.ok() ? ExitCodes.OK : ExitCodes.TOOL_FAILURE;
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
