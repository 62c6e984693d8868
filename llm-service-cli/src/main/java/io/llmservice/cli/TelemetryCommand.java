package io.llmservice.cli;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code llm-service telemetry check}: opens the configured telemetry store (an H2 store whose data
 * file lost data is refused right there) and reads all of it back.
 */
@Command(name = "telemetry", sortOptions = false,
        description = {"Verify the telemetry store: 'check' opens it (refusing a damaged file) and reads every",
                "record back. Exit code 1 when anything is wrong."},
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
        // A file store that is not there would be created empty by opening it, and then "pass". A file
        // store names its files after the configured path (H2: <path>.mv.db), so no such file: no store.
        if (provider.server(settings).isPresent() && !anyFileNamedAfter(settings.path())) {
            env.err().println("error: there is no '" + settings.store() + "' store at " + settings.path()
                    + " (nothing was created)");
            env.err().println("hint: check policies.telemetry.path in the configuration (--config)");
            return ExitCodes.TOOL_FAILURE;
        }
        env.out().println("checking the '" + settings.store() + "' store at " + settings.path());
        StoreCheck check;
        try (TelemetryStore store = provider.open(settings, Clock.systemUTC())) {
            check = store.check();
        }
        check.findings().forEach(env.out()::println);
        return check.ok() ? ExitCodes.OK : ExitCodes.TOOL_FAILURE;
    }

    private static boolean anyFileNamedAfter(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null || !Files.isDirectory(dir)) {
            return false;
        }
        String name = absolute.getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(name));
        } catch (IOException e) {
            return true;   // cannot tell: let opening the store report what is wrong
        }
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
