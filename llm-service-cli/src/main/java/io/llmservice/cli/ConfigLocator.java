package io.llmservice.cli;

import io.llmservice.config.DefaultLocations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the configuration the way SPEC §4 orders it: {@code --config}, {@code $LLM_SERVICE_CONFIG},
 * {@code ./llm-service.yaml} or {@code ./.llm-service/}, then the user's configuration directory
 * ({@link DefaultLocations#configDirectory()}: {@code ~/.config/llm-service/} on Linux, holding
 * {@code llm-service.yaml} or the split files), then the old {@code ~/.config/llm-service/} where
 * that is not the platform's place (with a one-time notice on stderr). The first two are taken as
 * given, even when nothing is there, so a typo is reported rather than silently replaced by another
 * file.
 *
 * <pre>{@code
 * ConfigLocator.Location where = new ConfigLocator(env).locate(Optional.ofNullable(configOption))
 *         .orElseThrow(ConfigLocator::notFound);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
final class ConfigLocator {
    static final String VARIABLE = "LLM_SERVICE_CONFIG";
    static final String FILE = "llm-service.yaml";
    static final String LOCAL_DIRECTORY = ".llm-service";
    private static final List<String> SPLIT_FILES = List.of("agents.yaml", "tools.yaml", "models.yaml",
            "policies.yaml");

    /**
     * A configuration found.
     *
     * @param path where it is: a file or a directory
     * @param rule which rule of the lookup order matched, for {@code --verbose} and messages
     */
    record Location(Path path, String rule) {
        Location {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(rule, "rule");
        }
    }

    private final CliEnvironment env;

    ConfigLocator(CliEnvironment env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    /** The configuration to use; empty when no rule finds one. */
    Optional<Location> locate(Optional<Path> option) {
        if (option.isPresent()) {
            return Optional.of(new Location(resolve(option.get()), "--config"));
        }
        Optional<String> variable = env.variable(VARIABLE);
        if (variable.isPresent()) {
            return Optional.of(new Location(resolve(Path.of(variable.get())), "$" + VARIABLE));
        }
        Path cwd = env.workingDirectory();
        if (Files.isRegularFile(cwd.resolve(FILE))) {
            return Optional.of(new Location(cwd.resolve(FILE), "./" + FILE));
        }
        if (holdsConfiguration(cwd.resolve(LOCAL_DIRECTORY))) {
            return Optional.of(new Location(cwd.resolve(LOCAL_DIRECTORY), "./" + LOCAL_DIRECTORY + "/"));
        }
        Path user = userDirectory();
        if (holdsConfiguration(user)) {
            return Optional.of(new Location(user, display(user)));
        }
        Optional<Path> old = env.locations().legacyConfigDirectory().filter(ConfigLocator::holdsConfiguration);
        if (old.isPresent()) {
            env.locations().configNotice().ifPresent(notice -> env.err().println("note: " + notice));
            return Optional.of(new Location(old.get(), display(old.get()) + ", the old place"));
        }
        return Optional.empty();
    }

    /** The user's configuration directory, the platform's (see {@link DefaultLocations}). */
    Path userDirectory() {
        return env.locations().configDirectory();
    }

    /** A directory as a rule: {@code ~/.config/llm-service/} under the home, else the whole path. */
    private String display(Path dir) {
        Path home = env.home();
        return (dir.startsWith(home) ? "~/" + home.relativize(dir) : dir.toString()) + "/";
    }

    /**
     * The error when nothing was found, naming every place looked at; when a file is there under a
     * near-miss name or place ({@code llm-service.yml}, {@code ~/.config/llm-service.yaml}), it names
     * that file and the right name or place instead of suggesting a starter.
     */
    UsageException notFound() {
        return notFound("--config", "run 'llm-service config init' to write a starter " + FILE + " here"
                + " (or 'llm-service config init --user' for every directory: " + userDirectory() + ")");
    }

    /**
     * As {@link #notFound()}, for a command whose configuration option is {@code option} rather than
     * {@code --config} ({@code whatif --recorded}), with {@code hint} when no near miss is found.
     */
    UsageException notFound(String option, String hint) {
        String looked = "no configuration found: no " + option + ", no $" + VARIABLE + ", no ./" + FILE
                + ", no ./" + LOCAL_DIRECTORY + "/, nothing in " + userDirectory();
        Optional<UsageException> nearMiss = nearMiss(looked);
        return nearMiss.orElseGet(() -> new UsageException(looked, hint));
    }

    /** A configuration file where a user would plausibly put one, under a name or in a place that is not looked at. */
    private Optional<UsageException> nearMiss(String looked) {
        Path user = userDirectory();
        List<Path> directories = List.of(env.workingDirectory(), env.workingDirectory().resolve(LOCAL_DIRECTORY), user);
        for (Path dir : directories) {
            Path yml = dir.resolve("llm-service.yml");
            if (Files.isRegularFile(yml)) {
                return Optional.of(new UsageException(looked + "; found " + yml + ", but the file must be named " + FILE,
                        "rename it: mv '" + yml + "' '" + dir.resolve(FILE) + "'"));
            }
        }
        for (String name : List.of(FILE, "llm-service.yml")) {
            Path beside = user.resolveSibling(name);
            if (Files.isRegularFile(beside)) {
                return Optional.of(new UsageException(looked + "; found " + beside + ", but the user configuration"
                        + " goes in the directory " + user + "/",
                        "move it: mkdir -p '" + user + "' && mv '" + beside + "' '" + user.resolve(FILE) + "'"));
            }
        }
        return Optional.empty();
    }

    private Path resolve(Path path) {
        return env.workingDirectory().resolve(env.locations().expandHome(path.toString())).normalize();
    }

    private static boolean holdsConfiguration(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        if (Files.isRegularFile(dir.resolve(FILE))) {
            return true;
        }
        return SPLIT_FILES.stream().anyMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }
}
