package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ConfigSource;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.BackgroundTask;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Loads and validates a configuration: parses the YAML (keeping line/column marks), merges the
 * built-in catalogue, expands {@code ${VAR}} from the given environment, binds and validates
 * every value, checks the cross-references, and builds the immutable {@link LlmConfig}. Any
 * problem, at any stage, ends in one {@link ConfigException} that lists every problem found,
 * sorted by file, line and column; no parser or validator exception escapes.
 *
 * <pre>{@code
 * ConfigLoader loader = new ConfigLoader(knownTypes);
 * LlmConfig config = loader.load(ConfigSource.path(Path.of("llm-service.yaml")), System.getenv());
 * }</pre>
 *
 * <p>Immutable and thread-safe: build one per set of providers and share it. The validator and
 * the parsed built-in catalogue are shared by every loader of the process ({@link ConfigBootstrap}):
 * the first loader (or {@link #prepare()}) starts the validator bootstrap on a short-lived daemon
 * thread, the YAML is parsed and bound meanwhile, and the first {@link #load} waits for it. In a
 * command-line process the two used to be most of the start-up.
 */
public final class ConfigLoader {
    /** The built-in catalogue's class-path resource. */
    static final String CATALOGUE_RESOURCE = "/io/llmservice/core/builtin/catalogue.yaml";
    /** The name the built-in catalogue has in problems and {@link LlmConfig#sources()}. */
    static final String CATALOGUE_SOURCE = "builtin:catalogue.yaml";

    private final KnownTypes types;
    private final YamlParser parser = new YamlParser();
    private final CompletableFuture<BindingValidator> validator;
    private final String userHome;
    /** The parsed catalogue; nodes are never modified after parsing, so sharing them is safe. */
    private final Node catalogue;
    private final List<ConfigProblem> catalogueProblems;

    public ConfigLoader(KnownTypes types) {
        this.types = Objects.requireNonNull(types, "types");
        this.validator = ConfigBootstrap.validator();
        this.userHome = System.getProperty("user.home", "");
        ConfigBootstrap.Catalogue builtin = ConfigBootstrap.catalogue();
        this.catalogue = builtin.root();
        this.catalogueProblems = builtin.problems();
    }

    /**
     * Starts the one-time work of the first loader of this process (the validator bootstrap) in the
     * background, so that it overlaps whatever the caller does next. Optional: a loader starts it
     * itself. Returns at once.
     */
    public static void prepare() {
        ConfigBootstrap.start();
    }

    /**
     * Loads, merges the built-in catalogue, expands {@code ${VAR}}, validates.
     *
     * @param source      a file, a directory of split files, or text
     * @param environment the variables {@code ${VAR}} reads, usually {@code System.getenv()}
     * @throws ConfigException listing every problem, sorted
     */
    public LlmConfig load(ConfigSource source, Map<String, String> environment) {
        return load(source, environment, settings -> { });
    }

    /**
     * As {@link #load(ConfigSource, Map)}, handing {@code earlyTelemetry} the telemetry settings
     * as soon as everything is bound without a problem, before the constraints are validated (the
     * slow part of a first load), so that the caller can start opening the store meanwhile. Called
     * at most once, on the calling thread, and then with the settings the returned configuration
     * holds; the load may still fail afterwards. What {@code earlyTelemetry} throws ends the load
     * as it was thrown.
     */
    public LlmConfig load(ConfigSource source, Map<String, String> environment,
                          Consumer<TelemetrySettings> earlyTelemetry) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(earlyTelemetry, "earlyTelemetry");
        Problems problems = new Problems();
        List<ConfigLayout.ParsedFile> files = new ConfigLayout(parser).read(source, problems);
        failIfAny(problems);
        List<String> sources = new ArrayList<>();
        sources.add(CATALOGUE_SOURCE);
        Sections user = new Sections();
        NodeReader collector = new NodeReader(problems, new EnvExpander(Map.of()));
        for (ConfigLayout.ParsedFile file : files) {
            sources.add(file.sourceName());
            user.collect(file.root(), file.allowedSections(), fileName(file.sourceName()), collector);
        }
        return build(user, environment, problems, sources, earlyTelemetry);
    }

    /** Only the built-in catalogue (models and tools), default policies, no agents. */
    public LlmConfig builtIn() {
        return build(new Sections(), Map.of(), new Problems(), List.of(CATALOGUE_SOURCE), settings -> { });
    }

    private LlmConfig build(Sections user, Map<String, String> environment, Problems problems, List<String> sources,
                            Consumer<TelemetrySettings> earlyTelemetry) {
        catalogueProblems.forEach(problems::add);
        failIfAny(problems);
        Sections builtin = new Sections();
        NodeReader collector = new NodeReader(problems, new EnvExpander(Map.of()));
        builtin.collect(catalogue, List.of(Sections.MODELS, Sections.TOOLS), "the built-in catalogue", collector);

        Sections merged = new Sections();
        merged.models.putAll(builtin.models);
        merged.models.putAll(user.models);   // a user model replaces the built-in of the same name
        merged.tools.putAll(new ToolInheritance(builtin.tools, user.tools, problems).merged());
        merged.agents.putAll(user.agents);
        user.policies().ifPresent(merged::policies);

        EnvExpander env = new EnvExpander(environment);
        NodeReader reader = new NodeReader(problems, env);
        ConfigBinding binding = new ConfigBinder(reader, types, userHome).bind(merged);
        if (problems.isEmpty() && !env.anyMissing()) {
            ConfigAssembler.telemetry(binding).ifPresent(earlyTelemetry);
        }
        if (binding.policies() != null) {
            validator().validate(binding, reader, problems);
        }
        new CrossReferenceChecker(binding, types, reader, problems).check();
        env.reportMissing(problems);
        failIfAny(problems);
        try {
            return ConfigAssembler.assemble(binding, sources);
        } catch (RuntimeException e) {
            // A check the records make that the loader missed: still a clean error, never a stack trace.
            problems.inSource(sources.get(sources.size() - 1), "", "invalid configuration: " + e.getMessage());
            throw new ConfigException(problems.all());
        }
    }

    private BindingValidator validator() {
        // Throws what the constructor would have thrown had it built the validator itself.
        return BackgroundTask.join(validator);
    }

    private static String fileName(String sourceName) {
        int slash = Math.max(sourceName.lastIndexOf('/'), sourceName.lastIndexOf('\\'));
        return sourceName.substring(slash + 1);
    }

    private static void failIfAny(Problems problems) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.all());
        }
    }
}
