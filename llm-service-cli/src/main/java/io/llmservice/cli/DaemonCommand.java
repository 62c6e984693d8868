package io.llmservice.cli;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreServer;
import io.llmservice.spi.StoreServerStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code llm-service daemon status|stop}: the process that shares the telemetry store between the
 * processes of this user (the H2 store's daemon, started on demand by the first call).
 */
@Command(name = "daemon", sortOptions = false,
        description = {"Show or stop the store daemon.",
                "The store daemon is the process that serves the H2 telemetry store to every llm-service process of"
                        + " this user. The first call starts it; it exits by itself after 5 idle minutes."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service daemon status", "  llm-service daemon stop"})
final class DaemonCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ACTION", description = "status or stop")
    String action;

    @Mixin
    CommonOptions common = new CommonOptions();

    DaemonCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!action.equals("status") && !action.equals("stop")) {
            throw new ParameterException(spec.commandLine(), "unknown action '" + action + "': use status or stop");
        }
        TelemetrySettings settings = StoreAccess.settings(env, common);
        Optional<StoreServer> server = StoreAccess.provider(settings.store()).server(settings);
        if (server.isEmpty()) {
            env.out().println("the '" + settings.store() + "' store runs no daemon");
            return ExitCodes.OK;
        }
        Optional<StoreServerStatus> status = server.get().status();
        if (action.equals("status")) {
            env.out().println(status.map(DaemonCommand::describe)
                    .orElse("not running (" + settings.path() + "; the next call starts it)"));
            return ExitCodes.OK;
        }
        if (status.isEmpty()) {
            env.out().println("not running (" + settings.path() + ")");
            return ExitCodes.OK;
        }
        if (server.get().stop(Duration.ofSeconds(20))) {
            env.out().println("stopped pid " + status.get().pid() + " (" + settings.path() + ")");
            return ExitCodes.OK;
        }
        env.err().println("error: the daemon pid " + status.get().pid() + " did not stop within 20 s");
        env.err().println("hint: it may be busy finishing a large write; try again, or kill it: the store survives");
        return ExitCodes.TOOL_FAILURE;
    }

    private static String describe(StoreServerStatus s) {
        return "running: pid " + s.pid() + ", " + s.address() + ", since " + s.started() + ", serving " + s.store()
                + " (" + s.version() + ")";
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
