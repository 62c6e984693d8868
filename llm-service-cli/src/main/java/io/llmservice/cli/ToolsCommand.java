package io.llmservice.cli;

import io.llmservice.ConfigException;
import io.llmservice.Cooldown;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.ToolStatus;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ToolDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code llm-service tools}: each configured tool, whether it is installed, where, its version, as
 * {@link LlmService#tools()} tells (the version command runs with a 5 s timeout, all tools at
 * once), and which of its models are cooling down, with the time left ({@link LlmService#cooldowns()},
 * read from the telemetry store, so shared by every process using it; {@code ?} with one warning on
 * stderr when the store cannot be opened or read, the rest of the table as usual). {@code --reset-cooldown
 * [TOOL[/MODEL]]} ends cooldowns instead ({@link LlmService#resetCooldowns()}).
 */
@Command(name = "tools", description = {"List the configured tools: installed or not, resolved path, version,"
        + " cooldowns.",
        "The version is the first line the tool prints for its version_args (5 s timeout), or 'unknown'.",
        "COOLDOWN: the tool's models that routing skips for now, with the time left and why."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service tools", "  llm-service tools --reset-cooldown codex/gpt-5",
                "  llm-service tools --reset-cooldown"})
final class ToolsCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    /** What {@code --reset-cooldown} holds when given without a value: every cooldown. */
    static final String EVERY = " every ";

    private final CliEnvironment env;

    @Option(names = "--reset-cooldown", arity = "0..1", fallbackValue = EVERY, paramLabel = "TOOL[/MODEL]",
            description = "End the cooldowns of TOOL (or of one model of it: TOOL/MODEL), of every tool when no"
                    + " value is given, for every process sharing the telemetry store; lists nothing.")
    String resetCooldown;

    @Mixin
    CommonOptions common = new CommonOptions();

    ToolsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        ConfigLocator.Location location = ServiceOpener.locate(env, common);
        if (resetCooldown != null) {
            try (LlmService llm = ServiceOpener.open(env, common, location, List.of())) {
                return reset(llm);
            }
        }
        LlmConfig config;
        List<ToolStatus> statuses;
        List<Cooldown> cooldowns = List.of();
        // The cooldowns are kept in the telemetry store (for H2, its daemon is started). Listing the tools
        // does not need it: a store that cannot be opened or read costs the COOLDOWN column, not the command.
        String storeTrouble = null;
        LlmService opened;
        try {
            opened = ServiceOpener.open(env, common, location, List.of());
        } catch (ConfigException e) {
            throw e;
        } catch (LlmServiceException e) {
            storeTrouble = e.getMessage();
            opened = ServiceOpener.openWithoutStore(env, location);
        }
        try (LlmService llm = opened) {
            config = llm.config();
            statuses = llm.tools();
            if (storeTrouble == null) {
                try {
                    cooldowns = llm.cooldowns();
                } catch (LlmServiceException e) {
                    storeTrouble = e.getMessage();
                }
            }
        }
        if (storeTrouble != null) {
            env.err().println("warning: COOLDOWN shows '?', the telemetry store could not be read: " + storeTrouble
                    + " (run 'llm-service daemon status' to check it)");
        }
        OsFamily os = currentOs();
        TextTable table = new TextTable(List.of("TOOL", "TYPE", "INSTALLED", "PATH", "VERSION", "COOLDOWN"), Set.of());
        for (ToolStatus status : statuses) {
            ToolDefinition tool = config.tools().get(status.name());
            List<String> row = new ArrayList<>(row(status, tool, os));
            row.add(storeTrouble == null ? cooldownCell(status.name(), cooldowns) : "?");
            table.add(row);
            if (common.verbose()) {
                env.err().println(status.name() + ": " + status.detail());
            }
        }
        env.out().print(table.render());
        return ExitCodes.OK;
    }

    private int reset(LlmService llm) {
        int cleared;
        String what;
        if (resetCooldown.equals(EVERY)) {
            cleared = llm.resetCooldowns();
            what = "every tool";
        } else {
            int slash = resetCooldown.indexOf('/');
            String tool = slash < 0 ? resetCooldown : resetCooldown.substring(0, slash);
            cleared = slash < 0 ? llm.resetCooldown(tool) : llm.resetCooldown(tool, resetCooldown.substring(slash + 1));
            what = resetCooldown;
        }
        env.out().println("cleared " + cleared + (cleared == 1 ? " cooldown entry" : " cooldown entries") + " of "
                + what);
        return ExitCodes.OK;
    }

    /** E.g. {@code gpt-5: 4m12s left, 3 failures (HTTP 429)}; {@code -} when none of its models cools down. */
    static String cooldownCell(String tool, List<Cooldown> cooldowns) {
        List<String> parts = new ArrayList<>();
        for (Cooldown c : cooldowns) {
            if (c.tool().equals(tool)) {
                parts.add(c.model() + ": " + Cooldown.format(c.remaining()) + " left, " + c.failures()
                        + (c.failures() == 1 ? " failure (" : " failures (") + c.reason() + ")");
            }
        }
        return parts.isEmpty() ? "-" : String.join("; ", parts);
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
