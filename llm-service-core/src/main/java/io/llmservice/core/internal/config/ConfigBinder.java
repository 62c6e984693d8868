package io.llmservice.core.internal.config;

import io.llmservice.Complexity;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.CooldownPolicy;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.DefaultLocations;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OnLimit;
import io.llmservice.config.OsFamily;
import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.Privacy;
import io.llmservice.config.PromptMode;
import io.llmservice.config.RoutingPolicy;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import io.llmservice.config.ToolDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.ErrorSpec;
import io.llmservice.config.FailureKind;
import io.llmservice.config.ScratchDir;
import io.llmservice.config.Secret;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.config.WhenDown;
import io.llmservice.config.SettingsFile;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds the merged section nodes to {@link ConfigBinding}: checks shapes and keys, converts
 * scalars, fills in the defaults of optional keys. Constraints on values are left to
 * Hibernate Validator, relations between entries to {@link CrossReferenceChecker}. Not
 * thread-safe: one instance per load.
 */
final class ConfigBinder {
    static final List<String> MODEL_KEYS = List.of("provider", "tier", "context_window", "pricing", "prices_as_of");
    static final List<String> PRICING_KEYS = List.of("input", "output", "cache_read", "cache_write");
    static final List<String> TOOL_KEYS = List.of("type", "extends", "binary", "binary_by_os", "args", "args_prepend",
            "args_append", "prompt",
            "env", "models", "output", "timeout", "retriable_when", "version_args", "max_output_bytes", "options",
            "leave_descendants", "session", "errors", "settings_file", "scratch_dir");
    static final List<String> SESSION_KEYS = List.of("ephemeral", "start", "resume", "id");
    static final List<String> SCRATCH_DIR_KEYS = List.of("env");
    static final List<String> ERRORS_KEYS = List.of("json_from", "exit_codes", "auth_when", "auth_hint", "exit_hints");
    static final List<String> SETTINGS_FILE_KEYS = List.of("env", "content");
    static final List<String> OUTPUT_KEYS = Stream.concat(Stream.of("format", "input_includes_cache_read", "model_usage"),
            Arrays.stream(OutputField.values()).map(OutputField::yamlName)).collect(Collectors.toUnmodifiableList());
    static final List<String> MODEL_USAGE_KEYS = Stream.concat(Stream.of("path"),
            ModelUsageSpec.FIELDS.stream().map(OutputField::yamlName)).collect(Collectors.toUnmodifiableList());
    static final List<String> AGENT_KEYS = List.of("team", "tool", "model", "fallbacks", "tools");
    static final List<String> TARGET_KEYS = List.of("tool", "model");
    static final List<String> POLICIES_KEYS = List.of("routing", "budgets", "rate_limits", "telemetry", "timezone",
            "default_agent", "max_reservation_usd", "cooldown");
    static final List<String> COOLDOWN_KEYS = List.of("after", "for", "auth_for");
    /** {@code policies.cooldown.after}: a count of failures, {@code 3 failures}, {@code 1 failure} or {@code 3}. */
    private static final java.util.regex.Pattern FAILURES = java.util.regex.Pattern.compile("([0-9]{1,4})(?: failures?)?");
    static final List<String> ROUTING_KEYS = List.of("strategy", "small_prompt_tokens", "complexity_tiers");
    static final List<String> BUDGET_KEYS = List.of("name", "type", "scope", "period", "limit", "warn_at",
            "on_exceed", "reserve_usd");
    static final List<String> LIMIT_KEYS = List.of("usd", "type");
    static final List<String> RATE_LIMIT_KEYS = List.of("scope", "requests_per_minute", "tokens_per_minute",
            "on_limit", "max_wait");
    static final List<String> TELEMETRY_KEYS = List.of("store", "path", "privacy", "url", "user", "password",
            "pool_size", "connect_timeout", "when_down");
    /** The keys only a server store reads; an error on a file store. */
    static final List<String> SERVER_STORE_KEYS = List.of("url", "user", "password", "pool_size", "connect_timeout");
    /** The stores that keep their data at {@code path} and read none of {@link #SERVER_STORE_KEYS}. */
    static final List<String> FILE_STORES = List.of("h2", "memory");
    /** The built-in server store (its provider lives in llm-service-telemetry-postgres). */
    static final String POSTGRES = "postgres";
    /** A whole password value that is one environment variable: <code>${NAME}</code>, nothing else. */
    private static final java.util.regex.Pattern ONE_VARIABLE = java.util.regex.Pattern.compile(
            "\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    static final List<String> SCOPE_KEYS = names(ScopeKind.values(), ScopeKind::yamlName);
    static final List<String> COMPLEXITY_KEYS = names(Complexity.values(), Complexity::yamlName);
    static final List<String> OS_KEYS = names(OsFamily.values(), OsFamily::yamlName);

    static final List<String> DEFAULT_VERSION_ARGS = List.of("--version");
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    private final NodeReader reader;
    private final KnownTypes types;
    private final DefaultLocations locations;
    /** Whether {@code policies.telemetry.path} was left out, so the default location applies. */
    private boolean defaultTelemetryPath;

    ConfigBinder(NodeReader reader, KnownTypes types, DefaultLocations locations) {
        this.reader = reader;
        this.types = types;
        this.locations = locations;
    }

    /** After {@link #bind}: whether the telemetry path is {@link DefaultLocations#defaultTelemetryPath()}. */
    boolean usedDefaultTelemetryPath() {
        return defaultTelemetryPath;
    }

    private static <E> List<String> names(E[] values, java.util.function.Function<E, String> name) {
        return Arrays.stream(values).map(name).collect(Collectors.toUnmodifiableList());
    }

    ConfigBinding bind(Sections sections) {
        Map<String, ConfigBinding.Model> models = new LinkedHashMap<>();
        sections.models.forEach((name, entry) -> models.put(name, model(name, entry)));
        Map<String, ConfigBinding.Tool> tools = new LinkedHashMap<>();
        sections.tools.forEach((name, entry) -> tools.put(name, tool(name, entry)));
        Map<String, ConfigBinding.Agent> agents = new LinkedHashMap<>();
        sections.agents.forEach((name, entry) -> agents.put(name, agent(name, entry)));
        ConfigBinding.Policies policies = sections.policies()
                .map(this::policies)
                .orElseGet(() -> policies(null));
        return new ConfigBinding(models, tools, agents, policies);
    }

    private MappingView entry(String section, String name, Sections.Entry entry, List<String> keys) {
        String path = section + "." + name;
        reader.recordKey(path, entry.key());
        return reader.mapping(entry.value(), path, keys);
    }

    // ---- models -----------------------------------------------------------------------

    private ConfigBinding.Model model(String name, Sections.Entry entry) {
        MappingView m = entry(Sections.MODELS, name, entry, MODEL_KEYS);
        if (m == null) {
            return null;
        }
        MappingView p = m.mapping("pricing", PRICING_KEYS);
        ConfigBinding.Pricing pricing = p == null ? null
                : new ConfigBinding.Pricing(p.number("input"), p.number("output"), p.number("cache_read"),
                p.number("cache_write"));
        return new ConfigBinding.Model(m.text("provider"), m.choiceOr("tier", Tier.values(), Tier::yamlName, null),
                m.wholeNumberOr("context_window", null), pricing, m.date("prices_as_of"));
    }

    // ---- tools ------------------------------------------------------------------------

    private ConfigBinding.Tool tool(String name, Sections.Entry entry) {
        MappingView m = entry(Sections.TOOLS, name, entry, TOOL_KEYS);
        if (m == null) {
            return null;
        }
        Map<OsFamily, String> binaryByOs = new EnumMap<>(OsFamily.class);
        MappingView os = m.mapping("binary_by_os", OS_KEYS);
        if (os != null) {
            for (OsFamily family : OsFamily.values()) {
                String binary = os.text(family.yamlName());
                if (binary != null) {
                    binaryByOs.put(family, binary);
                }
            }
        }
        return new ConfigBinding.Tool(
                m.textOr("type", "cli"),
                m.text("binary"),
                binaryByOs,
                m.textListOr("args", List.of()),
                m.textListOr(ToolInheritance.ARGS_PREPEND, List.of()),
                m.textListOr(ToolInheritance.ARGS_APPEND, List.of()),
                m.choiceOr("prompt", PromptMode.values(), PromptMode::yamlName, PromptMode.STDIN),
                m.textMapOr("env", Map.of(), true),
                m.textMapOr("models", null, false),
                output(m),
                m.durationOr("timeout", ToolDefinition.DEFAULT_TIMEOUT),
                m.textListOr("retriable_when", List.of()),
                m.textListOr("version_args", DEFAULT_VERSION_ARGS),
                m.wholeNumberOr("max_output_bytes", ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES),
                m.textMapOr("options", Map.of(), false),
                m.boolOr("leave_descendants", false),
                errors(m),
                settingsFile(m),
                scratchDir(m),
                session(m));
    }

    /** {@code session:}; null when absent (or not a mapping, which is reported). */
    private ConfigBinding.Session session(MappingView tool) {
        if (!tool.has("session")) {
            return null;
        }
        MappingView s = tool.mapping("session", SESSION_KEYS);
        if (s == null) {
            return null;
        }
        List<String> id = s.textOrList("id");
        return new ConfigBinding.Session(s.textListOr("ephemeral", List.of()), s.textListOr("start", List.of()),
                s.textListOr("resume", List.of()), id == null ? List.of() : id);
    }

    /** {@code scratch_dir:}; null when absent or wrong (reported). */
    private ScratchDir scratchDir(MappingView tool) {
        if (!tool.has("scratch_dir")) {
            return null;
        }
        MappingView d = tool.mapping("scratch_dir", SCRATCH_DIR_KEYS);
        if (d == null) {
            return null;
        }
        List<String> env = d.textListOr("env", null);
        if (env == null || env.isEmpty()) {
            if (env != null || !d.has("env")) {
                reader.problems().at(tool.node("scratch_dir").flatMap(Node::getStartMark), d.path("env"),
                        "must list at least one environment variable to set to the call's private directory");
            }
            return null;
        }
        return new ScratchDir(env);
    }

    /** {@code errors:}; the defaults when absent, null when a value is wrong (reported). */
    private ErrorSpec errors(MappingView tool) {
        if (!tool.has("errors")) {
            return ErrorSpec.defaults();
        }
        MappingView e = tool.mapping("errors", ERRORS_KEYS);
        if (e == null) {
            return null;
        }
        boolean ok = true;
        ErrorSpec.Builder b = ErrorSpec.builder();
        List<Node> from = e.list("json_from");
        if (from != null) {
            List<ErrorSource> sources = new ArrayList<>();
            for (int i = 0; i < from.size(); i++) {
                ErrorSource source = reader.choice(from.get(i), e.path("json_from") + "[" + i + "]", ErrorSource.values(),
                        ErrorSource::yamlName);
                ok &= source != null;
                if (source != null && !sources.contains(source)) {
                    sources.add(source);
                }
            }
            if (sources.isEmpty() && ok) {
                reader.problems().at(e.node("json_from").flatMap(Node::getStartMark), e.path("json_from"),
                        "must name at least one stream: stdout, stderr");
                ok = false;
            }
            b.jsonFrom(sources);
        } else if (e.has("json_from")) {
            ok = false;
        }
        Map<String, Node> codes = e.entries("exit_codes");
        if (codes != null) {
            for (Map.Entry<String, Node> c : codes.entrySet()) {
                String path = e.path("exit_codes") + "." + c.getKey();
                Integer code = exitCode(c.getKey(), path);
                FailureKind kind = reader.choice(c.getValue(), path, FailureKind.values(), FailureKind::yamlName);
                ok &= code != null && kind != null;
                if (code != null && kind != null) {
                    b.exitCode(code, kind);
                }
            }
        } else if (e.has("exit_codes")) {
            ok = false;
        }
        Map<String, String> hints = e.textMapOr("exit_hints", Map.of(), true);
        if (hints != null) {
            for (Map.Entry<String, String> h : hints.entrySet()) {
                Integer code = exitCode(h.getKey(), e.path("exit_hints") + "." + h.getKey());
                ok &= code != null;
                if (code != null) {
                    b.exitHint(code, h.getValue());
                }
            }
        } else {
            ok = false;
        }
        List<String> authWhen = e.textListOr("auth_when", List.of());
        String authHint = e.textOr("auth_hint", "");
        if (authWhen == null || authHint == null) {
            return null;
        }
        return ok ? b.authWhen(authWhen).authHint(authHint).build() : null;
    }

    /** An exit status written as a key: 1..255, reported at the key otherwise. */
    private Integer exitCode(String key, String path) {
        if (key.matches("[0-9]{1,3}")) {
            int code = Integer.parseInt(key);
            if (code >= 1 && code <= 255) {
                return code;
            }
        }
        reader.problems().at(reader.keyAt(path).flatMap(Node::getStartMark), path, "an exit status must be a whole number 1..255 (was \""
                + key + "\"); a process that exits with an HTTP status reports it modulo 256 (401 -> 145)");
        return null;
    }

    /** {@code settings_file:}; null when absent or wrong (reported). */
    private SettingsFile settingsFile(MappingView tool) {
        if (!tool.has("settings_file")) {
            return null;
        }
        MappingView f = tool.mapping("settings_file", SETTINGS_FILE_KEYS);
        if (f == null) {
            return null;
        }
        String env = f.text("env");
        if (env == null && !f.has("env")) {
            reader.problems().at(tool.node("settings_file").flatMap(Node::getStartMark), f.path("env"),
                    "is required: the environment variable that tells the tool where its settings file is");
        }
        Optional<Node> content = f.node("content");
        if (content.isEmpty()) {
            reader.problems().at(tool.node("settings_file").flatMap(Node::getStartMark), f.path("content"),
                    "is required: the settings, a mapping written as JSON");
            return null;
        }
        if (!(content.get() instanceof MappingNode)) {
            reader.problems().at(content.get(), f.path("content"), "must be a mapping (was "
                    + NodeReader.describe(content.get()) + ")");
            return null;
        }
        JsonNode json = yamlToJson(content.get(), f.path("content"));
        return env == null || json == null ? null : new SettingsFile(env, json.toString());
    }

    /**
     * A YAML value as JSON: mappings, lists, and plain scalars typed as YAML's core schema types
     * them (true/false, null, numbers); quoted scalars stay text. Text is expanded like any value.
     */
    private JsonNode yamlToJson(Node node, String path) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (node instanceof MappingNode mapping) {
            ObjectNode o = json.objectNode();
            for (NodeTuple t : mapping.getValue()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                JsonNode v = yamlToJson(t.getValueNode(), NodeReader.child(path, key));
                if (v == null) {
                    return null;
                }
                o.set(key, v);
            }
            return o;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode a = json.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                JsonNode v = yamlToJson(items.get(i), path + "[" + i + "]");
                if (v == null) {
                    return null;
                }
                a.add(v);
            }
            return a;
        }
        ScalarNode scalar = (ScalarNode) node;
        if (scalar.isPlain()) {
            String v = scalar.getValue();
            if (NodeReader.isNull(scalar)) {
                return json.nullNode();
            }
            if (v.equals("true") || v.equals("false")) {
                return json.booleanNode(Boolean.parseBoolean(v));
            }
            if (v.matches("[-+]?[0-9]{1,18}")) {
                return json.numberNode(Long.parseLong(v));
            }
            if (v.matches("[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                return json.numberNode(new java.math.BigDecimal(v));
            }
        }
        String text = reader.text(node, path);
        return text == null ? null : json.textNode(text);
    }

    private ConfigBinding.Output output(MappingView tool) {
        if (!tool.has("output")) {
            return new ConfigBinding.Output(OutputFormat.TEXT, Map.of(), false, null);
        }
        MappingView o = tool.mapping("output", OUTPUT_KEYS);
        if (o == null) {
            return null;
        }
        Map<OutputField, List<String>> paths = new EnumMap<>(OutputField.class);
        for (OutputField field : OutputField.values()) {
            List<String> fieldPaths = o.textOrList(field.yamlName());
            if (fieldPaths != null) {
                paths.put(field, fieldPaths);
            }
        }
        return new ConfigBinding.Output(o.choiceOr("format", OutputFormat.values(), OutputFormat::yamlName, null),
                paths, o.boolOr("input_includes_cache_read", false), modelUsage(o));
    }

    private ConfigBinding.ModelUsage modelUsage(MappingView output) {
        if (!output.has("model_usage")) {
            return null;
        }
        MappingView m = output.mapping("model_usage", MODEL_USAGE_KEYS);
        if (m == null) {
            return null;
        }
        Map<OutputField, String> fields = new EnumMap<>(OutputField.class);
        for (OutputField field : ModelUsageSpec.FIELDS) {
            String path = m.text(field.yamlName());
            if (path != null) {
                fields.put(field, path);
            }
        }
        return new ConfigBinding.ModelUsage(m.text("path"), fields);
    }

    // ---- agents -----------------------------------------------------------------------

    private ConfigBinding.Agent agent(String name, Sections.Entry entry) {
        MappingView m = entry(Sections.AGENTS, name, entry, AGENT_KEYS);
        if (m == null) {
            return null;
        }
        List<ConfigBinding.Target> fallbacks = new ArrayList<>();
        List<Node> items = m.list("fallbacks");
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                MappingView f = reader.mapping(items.get(i), m.path("fallbacks") + "[" + i + "]", TARGET_KEYS);
                fallbacks.add(f == null ? null : new ConfigBinding.Target(f.text("tool"), f.text("model")));
            }
        }
        return new ConfigBinding.Agent(m.text("team"), m.text("tool"), m.text("model"), fallbacks,
                m.textListOr("tools", List.of()));
    }

    // ---- policies ---------------------------------------------------------------------

    private ConfigBinding.Policies policies(Node node) {
        MappingView m = node == null ? new MappingView(reader, Sections.POLICIES, Map.of())
                : reader.mapping(node, Sections.POLICIES, POLICIES_KEYS);
        if (m == null) {
            return null;
        }
        List<ConfigBinding.Budget> budgets = new ArrayList<>();
        List<Node> budgetNodes = m.list("budgets");
        if (budgetNodes != null) {
            for (int i = 0; i < budgetNodes.size(); i++) {
                budgets.add(budget(budgetNodes.get(i), m.path("budgets") + "[" + i + "]"));
            }
        }
        List<ConfigBinding.RateLimit> rateLimits = new ArrayList<>();
        List<Node> rateNodes = m.list("rate_limits");
        if (rateNodes != null) {
            for (int i = 0; i < rateNodes.size(); i++) {
                rateLimits.add(rateLimit(rateNodes.get(i), m.path("rate_limits") + "[" + i + "]"));
            }
        }
        return new ConfigBinding.Policies(routing(m), budgets, rateLimits, telemetry(m),
                m.zoneOr("timezone", ZoneOffset.UTC), m.text("default_agent"),
                m.numberOr("max_reservation_usd", new java.math.BigDecimal(io.llmservice.config.Policies.DEFAULT_MAX_RESERVATION)),
                cooldown(m));
    }

    /** {@code policies.cooldown}: {@code off}, or a mapping of {@code after}, {@code for} and {@code auth_for}. */
    private CooldownPolicy cooldown(MappingView policies) {
        Node node = policies.node("cooldown").orElse(null);
        if (node == null) {
            return CooldownPolicy.defaults();
        }
        String path = policies.path("cooldown");
        if (node instanceof ScalarNode scalar && !(scalar.getValue().isEmpty())) {
            if (scalar.getValue().equals("off")) {
                return CooldownPolicy.off();
            }
            reader.problems().at(node, path, "must be off or a mapping like {after: 3 failures, for: 5m} (was \""
                    + scalar.getValue() + "\")");
            return CooldownPolicy.defaults();
        }
        MappingView c = policies.mapping("cooldown", COOLDOWN_KEYS);
        if (c == null) {
            return CooldownPolicy.defaults();
        }
        int after = CooldownPolicy.DEFAULT_AFTER;
        String afterText = c.text("after");
        if (afterText != null) {
            java.util.regex.Matcher matcher = FAILURES.matcher(afterText.strip());
            if (matcher.matches() && Integer.parseInt(matcher.group(1)) >= 1) {
                after = Integer.parseInt(matcher.group(1));
            } else {
                c.node("after").ifPresent(n -> reader.problems().at(n, c.path("after"),
                        "must be a number of failures of at least 1, like 3 failures (was \"" + afterText + "\")"));
            }
        }
        // A bad duration is a problem reported already; the default stands in until the load fails with it.
        Duration coolFor = c.durationOr("for", null);
        Duration authFor = c.durationOr("auth_for", null);
        return new CooldownPolicy(true, after, coolFor != null ? coolFor : CooldownPolicy.DEFAULT_DURATION,
                authFor != null ? authFor : CooldownPolicy.DEFAULT_AUTH_DURATION);
    }

    private ConfigBinding.Routing routing(MappingView policies) {
        MappingView r = policies.has("routing") ? policies.mapping("routing", ROUTING_KEYS)
                : new MappingView(reader, policies.path("routing"), Map.of());
        if (r == null) {
            return null;
        }
        Map<Complexity, Tier> tiers = new EnumMap<>(RoutingPolicy.defaultTiers());
        MappingView t = r.mapping("complexity_tiers", COMPLEXITY_KEYS);
        if (t != null) {
            for (Complexity c : Complexity.values()) {
                Tier tier = t.choiceOr(c.yamlName(), Tier.values(), Tier::yamlName, null);
                if (tier != null) {
                    tiers.put(c, tier);
                }
            }
        }
        return new ConfigBinding.Routing(r.textOr("strategy", RoutingPolicy.DEFAULT_STRATEGY),
                r.wholeNumberOr("small_prompt_tokens", RoutingPolicy.DEFAULT_SMALL_PROMPT_TOKENS), tiers);
    }

    private ConfigBinding.Budget budget(Node node, String path) {
        MappingView b = reader.mapping(node, path, BUDGET_KEYS);
        if (b == null) {
            return null;
        }
        MappingView l = b.mapping("limit", LIMIT_KEYS);
        ConfigBinding.Limit limit = l == null ? null
                : new ConfigBinding.Limit(l.number("usd"),
                l.choiceOr("type", LimitType.values(), LimitType::yamlName, LimitType.HARD));
        return new ConfigBinding.Budget(b.text("name"), b.textOr("type", BudgetDefinition.DEFAULT_TYPE),
                scope(b), b.choiceOr("period", BudgetPeriod.values(), BudgetPeriod::yamlName, null), limit,
                b.numberOr("warn_at", BudgetDefinition.DEFAULT_WARN_AT),
                b.choiceOr("on_exceed", OnExceed.values(), OnExceed::yamlName, OnExceed.BLOCK),
                b.numberOr("reserve_usd", null));
    }

    private ConfigBinding.RateLimit rateLimit(Node node, String path) {
        MappingView r = reader.mapping(node, path, RATE_LIMIT_KEYS);
        if (r == null) {
            return null;
        }
        return new ConfigBinding.RateLimit(scope(r), r.wholeNumberOr("requests_per_minute", null),
                r.wholeNumberOr("tokens_per_minute", null),
                r.choiceOr("on_limit", OnLimit.values(), OnLimit::yamlName, OnLimit.FAIL),
                r.durationOr("max_wait", DEFAULT_MAX_WAIT));
    }

    private Map<ScopeKind, String> scope(MappingView owner) {
        MappingView s = owner.mapping("scope", SCOPE_KEYS);
        if (s == null) {
            return null;
        }
        Map<ScopeKind, String> keys = new EnumMap<>(ScopeKind.class);
        for (ScopeKind kind : ScopeKind.values()) {
            String value = s.text(kind.yamlName());
            if (value != null) {
                keys.put(kind, value);
            }
        }
        return keys;
    }

    private ConfigBinding.Telemetry telemetry(MappingView policies) {
        MappingView t = policies.has("telemetry") ? policies.mapping("telemetry", TELEMETRY_KEYS)
                : new MappingView(reader, policies.path("telemetry"), Map.of());
        if (t == null) {
            return null;
        }
        String defaultStore = types.telemetryStores().contains("h2") ? "h2" : "memory";
        Path path = null;
        String pathText = t.has("path") ? t.text("path") : null;
        if (!t.has("path")) {
            defaultTelemetryPath = true;
            path = locations.defaultTelemetryPath();
        } else if (pathText != null) {
            try {
                path = Path.of(locations.expandHome(pathText));
            } catch (InvalidPathException e) {
                t.node("path").ifPresent(n -> reader.problems().at(n, t.path("path"),
                        "must be a file-system path (was \"" + pathText + "\": " + e.getReason() + ")"));
            }
        }
        String store = t.textOr("store", defaultStore);
        if (store != null) {
            checkStoreKeys(t, store);
        }
        String url = t.text("url");
        if (url != null) {
            checkUrl(t, store, url);
        }
        if (POSTGRES.equals(store) && !t.has("url")) {
            reader.problems().at(reader.nodeAt(t.path()).orElseThrow(), t.path("url"),
                    "is required for store: postgres; add url: jdbc:postgresql://HOST:5432/DATABASE");
        }
        Long poolSize = t.wholeNumberOr("pool_size", (long) TelemetrySettings.DEFAULT_POOL_SIZE);
        return new ConfigBinding.Telemetry(store, path,
                t.choiceOr("privacy", Privacy.values(), Privacy::yamlName, Privacy.METADATA), url, t.text("user"),
                password(t), poolSize, t.durationOr("connect_timeout", TelemetrySettings.DEFAULT_CONNECT_TIMEOUT),
                t.choiceOr("when_down", WhenDown.values(), WhenDown::yamlName, WhenDown.REFUSE));
    }

    /**
     * A server store's keys on a file store, or {@code path} on a server store, are errors: a key
     * that is read by nothing would leave the writer believing it took effect.
     */
    private void checkStoreKeys(MappingView t, String store) {
        if (FILE_STORES.contains(store)) {
            for (String key : SERVER_STORE_KEYS) {
                t.node(key).ifPresent(n -> reader.problems().at(reader.keyAt(t.path(key)).orElse(n), t.path(key),
                        "applies only to a server store (store: postgres), not to store: " + store
                                + "; remove it, or set store: postgres"));
            }
        } else if (POSTGRES.equals(store) && t.has("path")) {
            reader.problems().at(reader.keyAt(t.path("path")).orElseThrow(), t.path("path"),
                    "applies only to a file store (h2, memory), not to store: postgres, which is at its url;"
                            + " remove it");
        }
    }

    /** A JDBC URL, without a password in it (the password comes only from password: ${VAR}). */
    private void checkUrl(MappingView t, String store, String url) {
        Node node = t.node("url").orElseThrow();
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("password=") || TelemetrySettings.urlCarriesPassword(url)) {
            // Not quoted: the value is a password.
            reader.problems().at(node, t.path("url"), "must not carry a password; remove password=... (or user:password@) from the url"
                    + " and write password: ${PGPASSWORD} (set PGPASSWORD in the environment)");
        } else if (POSTGRES.equals(store) && !lower.startsWith("jdbc:postgresql:")) {
            reader.problems().at(node, t.path("url"), "must be a PostgreSQL JDBC URL like"
                    + " jdbc:postgresql://HOST:5432/DATABASE (was \"" + url + "\")");
        } else if (!lower.startsWith("jdbc:")) {
            reader.problems().at(node, t.path("url"), "must be a JDBC URL like jdbc:postgresql://HOST:5432/DATABASE"
                    + " (was \"" + url + "\")");
        }
    }

    /**
     * {@code password}: only a whole <code>${VAR}</code>, resolved from the environment; a password
     * written in the file (or as a <code>${VAR:-default}</code>) is an error that never quotes it.
     */
    private Secret password(MappingView t) {
        Optional<Node> node = t.node("password");
        if (node.isEmpty()) {
            return null;
        }
        String path = t.path("password");
        java.util.regex.Matcher m = node.get() instanceof ScalarNode scalar
                ? ONE_VARIABLE.matcher(scalar.getValue()) : null;
        if (m == null || NodeReader.isNull(node.get()) || !m.matches()) {
            reader.record(path, node.get());
            reader.problems().at(node.get(), path, "must be an environment variable reference like ${PGPASSWORD},"
                    + " never the password itself; write password: ${PGPASSWORD} and set PGPASSWORD in the"
                    + " environment");
            return null;
        }
        String value = t.text("password");
        if (value == null) {
            return null;   // the missing variable is reported with its name
        }
        if (value.isEmpty()) {
            reader.problems().at(node.get(), path, "environment variable " + m.group(1) + " is empty; set it to the"
                    + " password of the store's user");
            return null;
        }
        return Secret.fromVariable(m.group(1), value);
    }
}
