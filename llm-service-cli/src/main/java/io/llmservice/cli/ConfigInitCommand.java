package io.llmservice.cli;

import io.llmservice.ConfigSource;
import io.llmservice.LlmService;
import io.llmservice.ToolStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code llm-service config init [DIR | --user] [--force]}: writes a commented starter
 * {@code llm-service.yaml}, with agents for the tools found on PATH; {@code --user} writes it into
 * the user's configuration directory ({@link io.llmservice.config.DefaultLocations#configDirectory()}).
 * Never overwrites without {@code --force}; never writes next to split files (that would make the
 * directory ambiguous).
 */
@Command(name = "init", sortOptions = false,
        description = {"Write a commented starter llm-service.yaml.",
                "It goes into DIR (default: the current directory), with an agent for each of claude, codex and"
                        + " gemini found on PATH."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service config init", "  llm-service config init --user     # for every directory"})
final class ConfigInitCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory to write llm-service.yaml into (created if missing), or a .yaml file path.")
    Path target;

    @Option(names = "--user", description = "Write into your configuration directory, which the commands find"
            + " from every directory (see 'llm-service --help').")
    boolean user;

    @Option(names = "--force", description = "Overwrite an existing file.")
    boolean force;

    @Mixin
    CommonOptions common = new CommonOptions();

    ConfigInitCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        Path file = file();
        Path dir = file.getParent();
        List<String> split = List.of("agents.yaml", "tools.yaml", "models.yaml", "policies.yaml").stream()
                .filter(f -> Files.exists(dir.resolve(f))).toList();
        if (!split.isEmpty() && file.getFileName().toString().equals(ConfigLocator.FILE)) {
            throw new UsageException(dir + " already holds a split configuration (" + String.join(", ", split)
                    + "); an llm-service.yaml beside it would make the directory ambiguous",
                    "choose another directory, or edit the split files");
        }
        if (Files.exists(file) && !force) {
            throw new UsageException(file + " already exists; not overwritten",
                    "pass --force to overwrite it, or choose another directory");
        }
        Map<StarterConfig.KnownTool, Path> found = installed();
        write(file, StarterConfig.render(found));
        env.out().println("wrote " + file);
        for (StarterConfig.KnownTool t : StarterConfig.KNOWN) {
            Optional<Path> at = Optional.ofNullable(found.get(t));
            env.out().println("  " + t.binary() + ": " + at.map(p -> "found at " + p + " -> agent '" + t.agent() + "'")
                    .orElse("not found on PATH"));
        }
        if (found.isEmpty()) {
            env.out().println("  none of claude, codex, gemini is installed: the file has one agent that uses"
                    + " whichever you install first");
        }
        env.out().println("next: llm-service config validate" + (isDefaultLocation(file) ? "" : " " + file)
                + "; llm-service exec \"hello\"");
        return ExitCodes.OK;
    }

    /** Which of the known tools are installed, and where, as the library finds their built-in definitions. */
    private Map<StarterConfig.KnownTool, Path> installed() {
        Map<String, ToolStatus> statuses;
        // The built-in catalogue only, telemetry in memory: nothing is opened or created.
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("built-in tools", "policies: {telemetry: {store: memory}}\n"))
                .environment(env.variables()).build()) {
            statuses = llm.tools().stream().collect(Collectors.toMap(ToolStatus::name, s -> s));
        }
        Map<StarterConfig.KnownTool, Path> found = new LinkedHashMap<>();
        for (StarterConfig.KnownTool t : StarterConfig.KNOWN) {
            Optional.ofNullable(statuses.get(t.tool())).filter(ToolStatus::available).flatMap(ToolStatus::binary)
                    .ifPresent(p -> found.put(t, p));
        }
        return found;
    }

    private Path file() {
        if (user && target != null) {
            throw new UsageException("config init takes DIR or --user, not both", "drop one of them");
        }
        if (user) {
            return env.locations().configDirectory().resolve(ConfigLocator.FILE);
        }
        Path given = target == null ? env.workingDirectory()
                : env.workingDirectory().resolve(env.locations().expandHome(target.toString()));
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return given.normalize();
        }
        return given.resolve(ConfigLocator.FILE).normalize();
    }

    private boolean isDefaultLocation(Path file) {
        return file.equals(env.workingDirectory().resolve(ConfigLocator.FILE));
    }

    /**
     * A new file is created exclusively (an existing one is never overwritten without --force); with --force it is
     * written through {@link AtomicFile}, so a crash never leaves half a file.
     */
    private void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        if (!force) {
            try {
                Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                throw new UsageException(file + " already exists; not overwritten", "pass --force to overwrite it");
            }
        }
        AtomicFile.write(file, text);
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
