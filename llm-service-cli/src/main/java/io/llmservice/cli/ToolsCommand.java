package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.ToolStatus;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ToolDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code llm-service tools}: each configured tool, whether it is installed, where, and its
 * version, as {@link LlmService#tools()} tells (the version command runs with a 5 s timeout,
 * all tools at once). The telemetry store is not opened.
 */
@Command(name = "tools", description = {"List the configured tools: installed or not, resolved path, version.",
        "The version is the first line the tool prints for its version_args (5 s timeout), or 'unknown'."})
final class ToolsCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Mixin
    CommonOptions common = new CommonOptions();

    ToolsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        LlmConfig config;
        List<ToolStatus> statuses;
        try (LlmService llm = ServiceOpener.openWithoutStore(env, common)) {
            config = llm.config();
            statuses = llm.tools();
        }
        OsFamily os = currentOs();
        TextTable table = new TextTable(List.of("TOOL", "TYPE", "INSTALLED", "PATH", "VERSION"), Set.of());
        for (ToolStatus status : statuses) {
            ToolDefinition tool = config.tools().get(status.name());
            table.add(row(status, tool, os));
            if (common.verbose()) {
                env.err().println(status.name() + ": " + status.detail());
            }
        }
        env.out().print(table.render());
        return ExitCodes.OK;
    }

    private static List<String> row(ToolStatus status, ToolDefinition tool, OsFamily os) {
        if (!status.available()) {
            String where = tool.type().equals("cli") ? tool.binaryFor(os) + " (not found)" : "-";
            return List.of(status.name(), tool.type(), "no", where, "-");
        }
        return List.of(status.name(), tool.type(), "yes", status.binary().map(Path::toString).orElse("-"),
                status.version().orElse("unknown"));
    }

    private static OsFamily currentOs() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return OsFamily.WINDOWS;
        }
        return name.contains("mac") || name.contains("darwin") ? OsFamily.MACOS : OsFamily.LINUX;
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
