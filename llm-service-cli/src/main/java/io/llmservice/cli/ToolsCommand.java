package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ToolDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;

/**
 * {@code llm-service tools}: each configured tool, whether it is installed, where, and its
 * version (its {@code version_args} run with a 5 s timeout, the first line shown). Probes run
 * concurrently, so a hanging tool costs 5 s, not 5 s each.
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
        try (LlmService llm = ServiceOpener.open(env, common, List.of())) {
            config = llm.config();
        }
        OsFamily os = currentOs();
        ExecutableFinder finder = new ExecutableFinder(env);
        ToolVersionProbe probe = new ToolVersionProbe(ToolVersionProbe.TIMEOUT);
        List<ToolDefinition> tools = List.copyOf(config.tools().values());
        List<CompletableFuture<List<String>>> rows = new ArrayList<>();
        for (ToolDefinition t : tools) {
            rows.add(CompletableFuture.supplyAsync(() -> row(t, os, finder, probe)));
        }
        TextTable table = new TextTable(List.of("TOOL", "TYPE", "INSTALLED", "PATH", "VERSION"), Set.of());
        rows.forEach(r -> table.add(r.join()));
        env.out().print(table.render());
        return ExitCodes.OK;
    }

    private static List<String> row(ToolDefinition t, OsFamily os, ExecutableFinder finder, ToolVersionProbe probe) {
        if (!t.type().equals("cli")) {
            return List.of(t.name(), t.type(), "n/a", "-", "unknown");
        }
        String binary = t.binaryFor(os);
        Optional<Path> path = finder.find(binary);
        if (path.isEmpty()) {
            return List.of(t.name(), t.type(), "no", binary + " (not found)", "-");
        }
        String version = probe.version(path.get(), t.versionArgs()).orElse("unknown");
        return List.of(t.name(), t.type(), "yes", path.get().toString(), version);
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
