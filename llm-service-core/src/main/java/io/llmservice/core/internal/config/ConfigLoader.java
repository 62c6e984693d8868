package io.llmservice.core.internal.config;

import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ConfigSource;
import io.llmservice.config.DefaultLocations;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.OsFamily;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.llmservice.core.internal.secrets.SecretRedactor;
import org.snakeyaml.engine.v2.nodes.Node;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * <p>Immutable and thread-safe: build one per set of providers and share it. The constructor
 * builds the validator (Hibernate Validator's bootstrap) and parses the built-in catalogue, once
 * per loader. The default telemetry path and a leading {@code ~} follow {@link DefaultLocations}
 * for the environment given to {@link #load}; when the default is the old
 * {@code ~/.llm-service/telemetry}, its one-time notice is logged at WARN.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    /** The built-in catalogue's class-path resource. */
    static final String CATALOGUE_RESOURCE = "/io/llmservice/core/builtin/catalogue.yaml";
    /** The name the built-in catalogue has in problems and {@link LlmConfig#sources()}. */
    static final String CATALOGUE_SOURCE = "builtin:catalogue.yaml";

    private final KnownTypes types;
    private final YamlParser parser = new YamlParser();
    private final BindingValidator validator = new BindingValidator();
    private final OsFamily os;
    private final Path userHome;
    /** The parsed catalogue ({@code null} when it could not be read); its nodes are never modified after parsing. */
    private final Node catalogue;
    private final List<ConfigProblem> catalogueProblems;

    public ConfigLoader(KnownTypes types) {
        this(types, OsFamily.current(), Path.of(System.getProperty("user.home", "")));
    }

    /**
     * A loader for another platform, for tests.
     *
     * @param os       whose default locations apply ({@link DefaultLocations})
     * @param userHome the home directory when the environment has no {@code HOME}
     */
    ConfigLoader(KnownTypes types, OsFamily os, Path userHome) {
        this.types = Objects.requireNonNull(types, "types");
        this.os = Objects.requireNonNull(os, "os");
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        Problems problems = new Problems();
        this.catalogue = parseCatalogue(problems);
        this.catalogueProblems = problems.all();
    }

    private Node parseCatalogue(Problems problems) {
        Optional<byte[]> bytes = ConfigLayout.resource(ConfigLoader.class, CATALOGUE_RESOURCE);
        if (bytes.isEmpty()) {
            problems.inSource(CATALOGUE_SOURCE, "", "the built-in catalogue is missing from the class path; the"
                    + " llm-service-core jar is damaged: reinstall it");
            return null;
        }
        return parser.parseBytes(bytes.get(), CATALOGUE_SOURCE, problems).orElse(null);
    }

    /**
     * Loads, merges the built-in catalogue, expands {@code ${VAR}}, validates.
     *
     * @param source      a file, a directory of split files, or text
     * @param environment the variables {@code ${VAR}} reads, usually {@code System.getenv()}
     * @throws ConfigException listing every problem, sorted
     */
    public LlmConfig load(ConfigSource source, Map<String, String> environment) {
        return read(source, environment).config();
    }

    /**
     * As {@link #load}, also returning the values the configuration took from the environment.
     *
     * @throws ConfigException listing every problem, sorted
     */
    public Loaded read(ConfigSource source, Map<String, String> environment) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(environment, "environment");
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
        return build(user, environment, problems, sources);
    }

    /** Only the built-in catalogue (models and tools), default policies, no agents. */
    public LlmConfig builtIn() {
        return build(new Sections(), Map.of(), new Problems(), List.of(CATALOGUE_SOURCE)).config();
    }

    /**
     * A loaded configuration and the environment variables its {@code ${VAR}}s were filled from.
     *
     * @param config            the configuration
     * @param expandedVariables variable name to the (non-empty) value the configuration took from it
     */
    public record Loaded(LlmConfig config, Map<String, String> expandedVariables) {
        public Loaded {
            Objects.requireNonNull(config, "config");
            expandedVariables = Map.copyOf(expandedVariables);
        }

        @Override
        public String toString() {
            // The values may be secrets.
            return "Loaded{sources=" + config.sources() + ", expanded=" + expandedVariables.keySet() + "}";
        }
    }

    private Loaded build(Sections user, Map<String, String> environment, Problems problems, List<String> sources) {
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
        // The same home, and the platform's directories, for the default path and a leading ~.
        DefaultLocations locations = DefaultLocations.of(os, environment, userHome);
        ConfigBinder binder = new ConfigBinder(reader, types, locations);
        ConfigBinding binding = binder.bind(merged);
        if (binding.policies() != null) {
            validator.validate(binding, reader, problems);
        }
        new CrossReferenceChecker(binding, types, reader, problems).check();
        env.reportMissing(problems);
        // A problem may quote a value a ${VAR} filled in (a password that is not a duration): masked.
        SecretRedactor expanded = SecretRedactor.knownValuesOnly(env.expandedVariables());
        failIfAny(problems, expanded);
        LlmConfig config;
        try {
            config = ConfigAssembler.assemble(binding, sources);
        } catch (RuntimeException e) {
            // A check the records make that the loader missed: still a clean error, never a stack trace.
            problems.inSource(sources.get(sources.size() - 1), "", "invalid configuration: " + e.getMessage());
            failIfAny(problems, expanded);
            throw e;
        }
        if (binder.usedDefaultTelemetryPath() && !config.policies().telemetry().store().equals("memory")
                && config.policies().telemetry().url().isEmpty()) {
            locations.telemetryNotice().ifPresent(LOG::warn);
        }
        return new Loaded(config, env.expandedVariables());
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

    private static void failIfAny(Problems problems, SecretRedactor redactor) {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.all().stream().map(p -> new ConfigProblem(p.source(), p.line(),
                    p.column(), p.path(), redactor.redact(p.message()))).toList());
        }
    }
}
