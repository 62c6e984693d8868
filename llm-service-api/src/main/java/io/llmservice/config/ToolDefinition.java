package io.llmservice.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tool ({@code tools:} in YAML): which adapter runs it and, for the generic {@code cli}
 * adapter, how to start the binary and read its output. The configuration loader makes these
 * from YAML; adapters and tests build them with {@link #builder()} (the canonical constructor
 * stays public, but it breaks whenever a component is added).
 *
 * <pre>{@code
 * ToolDefinition echo = ToolDefinition.builder()
 *         .name("echo-tool").binary("/usr/bin/cat")
 *         .args(List.of("--model", "{model}"))
 *         .model("claude-sonnet-4-5", "sonnet")
 *         .timeout(Duration.ofMinutes(2))
 *         .build();
 * ToolDefinition slower = echo.toBuilder().timeout(Duration.ofMinutes(20)).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param name           the tool's configured name, e.g. {@code claude-code}
 * @param type           the adapter provider's {@code type()}, {@code cli} for the generic adapter
 * @param binary         the binary's name (looked up on {@code PATH}) or a path
 * @param binaryByOs     per-OS overrides of {@code binary}
 * @param args           argument template; placeholders {@code {model}}, {@code {prompt}},
 *                       {@code {prompt_file}}, {@code {workdir}} and {@code {options.NAME}} each fill
 *                       exactly one element. From YAML: {@code args_prepend}, {@code args} and
 *                       {@code args_append} in that order
 * @param prompt         how the prompt reaches the tool
 * @param env            environment entries given to the child (values already expanded;
 *                       {@code {options.NAME}} in a value is filled from {@code options})
 * @param models         catalogue model id to the value substituted for {@code {model}}
 * @param output         how to read the output
 * @param timeout        the default timeout of one invocation
 * @param retriableWhen  output substrings (case-insensitive) that make a failure retriable
 * @param versionArgs    arguments that make the binary print its version
 * @param maxOutputBytes cap on captured bytes per stream
 * @param options        named settings: read by adapters other than {@code cli}; for {@code cli} the
 *                       values of {@code {options.NAME}} in {@code args} and {@code env}
 * @param leaveDescendants true to let processes the tool started outlive it (YAML
 *                       {@code leave_descendants}); false, the default, ends them with the tool
 * @param errors         where the tool reports errors and what its exit statuses mean ({@code errors:})
 * @param settingsFile   a private settings file the adapter writes for the tool ({@code settings_file:})
 * @param scratchDir     a private directory per call, deleted after it ({@code scratch_dir:})
 * @param session        how the tool keeps and continues conversations (YAML {@code session:});
 *                       empty means it cannot serve a request that keeps or continues a session
 */
public record ToolDefinition(String name, String type, String binary, Map<OsFamily, String> binaryByOs,
                             List<String> args, PromptMode prompt, Map<String, String> env,
                             Map<String, String> models, OutputSpec output, Duration timeout,
                             List<String> retriableWhen, List<String> versionArgs, long maxOutputBytes,
                             Map<String, String> options, boolean leaveDescendants, ErrorSpec errors,
                             Optional<SettingsFile> settingsFile, Optional<ScratchDir> scratchDir,
                             Optional<SessionSpec> session) {

    /** Default timeout of one invocation when YAML gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** Default cap on captured output per stream: 16 MiB. */
    public static final long DEFAULT_MAX_OUTPUT_BYTES = 16L * 1024 * 1024;

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(binary, "binary");
        binaryByOs = Map.copyOf(binaryByOs);
        args = List.copyOf(args);
        Objects.requireNonNull(prompt, "prompt");
        env = Map.copyOf(env);
        models = Map.copyOf(models);
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timeout, "timeout");
        retriableWhen = List.copyOf(retriableWhen);
        versionArgs = List.copyOf(versionArgs);
        options = Map.copyOf(options);
        Objects.requireNonNull(errors, "errors");
        Objects.requireNonNull(settingsFile, "settingsFile");
        Objects.requireNonNull(scratchDir, "scratchDir");
        Objects.requireNonNull(session, "session");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("tools." + name + ".timeout must be positive, was " + timeout);
        }
        if (maxOutputBytes <= 0) {
            throw new IllegalArgumentException("tools." + name + ".max_output_bytes must be > 0, was " + maxOutputBytes);
        }
    }

    /**
     * A definition with the components that existed before {@code errors:}, {@code settings_file:},
     * {@code scratch_dir:} and {@code session:} (their defaults: none); kept so that callers of that
     * constructor still compile. Prefer the {@link #builder()}.
     */
    public ToolDefinition(String name, String type, String binary, Map<OsFamily, String> binaryByOs,
                          List<String> args, PromptMode prompt, Map<String, String> env, Map<String, String> models,
                          OutputSpec output, Duration timeout, List<String> retriableWhen, List<String> versionArgs,
                          long maxOutputBytes, Map<String, String> options, boolean leaveDescendants) {
        this(name, type, binary, binaryByOs, args, prompt, env, models, output, timeout, retriableWhen, versionArgs,
                maxOutputBytes, options, leaveDescendants, ErrorSpec.defaults(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** A builder with nothing set; see {@link Builder} for the required parts and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this definition's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.type = type;
        b.binary = binary;
        b.binaryByOs.putAll(binaryByOs);
        b.args.addAll(args);
        b.prompt = prompt;
        b.env.putAll(env);
        b.models.putAll(models);
        b.output = output;
        b.timeout = timeout;
        b.retriableWhen.addAll(retriableWhen);
        b.versionArgs.addAll(versionArgs);
        b.maxOutputBytes = maxOutputBytes;
        b.options.putAll(options);
        b.leaveDescendants = leaveDescendants;
        b.errors = errors;
        b.settingsFile = settingsFile.orElse(null);
        b.scratchDir = scratchDir.orElse(null);
        b.session = session;
        return b;
    }

    /** Whether this tool can run the catalogue model. */
    public boolean supports(String modelId) {
        return models.containsKey(modelId);
    }

    /** The value for {@code {model}} of a catalogue model, when supported. */
    public Optional<String> toolModelName(String modelId) {
        return Optional.ofNullable(models.get(modelId));
    }

    /** The binary for the given OS: its {@code binary_by_os} entry, else {@code binary}. */
    public String binaryFor(OsFamily os) {
        return binaryByOs.getOrDefault(os, binary);
    }

    /**
     * Names the tool, its binary and the names of its {@code env:} entries; never a value of
     * {@code env:}, {@code args} or {@code options}, which may hold secrets the configuration
     * expanded from {@code ${VAR}}.
     */
    @Override
    public String toString() {
        return "ToolDefinition{name=" + name + ", type=" + type + ", binary=" + binary + ", env=" + env.keySet()
                + ", models=" + models.keySet() + ", timeout=" + timeout + "}";
    }
    /**
     * Builds {@link ToolDefinition}s. Only {@code name} is required. Defaults: type {@code cli},
     * binary {@code ""} (adapters other than {@code cli} need none), the prompt on standard input,
     * plain-text output, {@link #DEFAULT_TIMEOUT}, {@link #DEFAULT_MAX_OUTPUT_BYTES},
     * {@code leaveDescendants} false, everything else empty. The list and map setters replace
     * what was set before; {@link #model} and {@link #env(String, String)} add one entry.
     * Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private String type = "cli";
        private String binary = "";
        private final Map<OsFamily, String> binaryByOs = new EnumMap<>(OsFamily.class);
        private final List<String> args = new ArrayList<>();
        private PromptMode prompt = PromptMode.STDIN;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> models = new LinkedHashMap<>();
        private OutputSpec output = OutputSpec.text();
        private Duration timeout = DEFAULT_TIMEOUT;
        private final List<String> retriableWhen = new ArrayList<>();
        private final List<String> versionArgs = new ArrayList<>();
        private long maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        private final Map<String, String> options = new LinkedHashMap<>();
        private boolean leaveDescendants;
        private ErrorSpec errors = ErrorSpec.defaults();
        private SettingsFile settingsFile;
        private ScratchDir scratchDir;
        private Optional<SessionSpec> session = Optional.empty();

        private Builder() {
        }

        /** The tool's configured name, e.g. {@code claude-code}; required, not blank. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The adapter provider's {@code type()}; {@code cli} by default. */
        public Builder type(String type) {
            this.type = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder binary(String binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        public Builder binaryByOs(Map<OsFamily, String> binaryByOs) {
            return replace(this.binaryByOs, binaryByOs, "binaryByOs");
        }

        public Builder args(List<String> args) {
            return replace(this.args, args, "args");
        }

        public Builder prompt(PromptMode prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        public Builder env(Map<String, String> env) {
            return replace(this.env, env, "env");
        }

        /** Adds one environment entry. */
        public Builder env(String key, String value) {
            env.put(Objects.requireNonNull(key, "env key"), Objects.requireNonNull(value, "env value"));
            return this;
        }

        public Builder models(Map<String, String> models) {
            return replace(this.models, models, "models");
        }

        /** Adds one supported catalogue model and the value substituted for {@code {model}}. */
        public Builder model(String catalogueId, String toolModelName) {
            models.put(Objects.requireNonNull(catalogueId, "model id"),
                    Objects.requireNonNull(toolModelName, "tool model name"));
            return this;
        }

        public Builder output(OutputSpec output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder retriableWhen(List<String> retriableWhen) {
            return replace(this.retriableWhen, retriableWhen, "retriableWhen");
        }

        public Builder versionArgs(List<String> versionArgs) {
            return replace(this.versionArgs, versionArgs, "versionArgs");
        }

        public Builder maxOutputBytes(long maxOutputBytes) {
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        public Builder options(Map<String, String> options) {
            return replace(this.options, options, "options");
        }

        /** True to let processes the tool started outlive it; false by default. */
        public Builder leaveDescendants(boolean leaveDescendants) {
            this.leaveDescendants = leaveDescendants;
            return this;
        }

        /** Where the tool reports errors and what its exit statuses mean; {@link ErrorSpec#defaults()} by default. */
        public Builder errors(ErrorSpec errors) {
            this.errors = Objects.requireNonNull(errors, "errors");
            return this;
        }

        /** A private settings file the adapter writes for the tool; null for none, the default. */
        public Builder settingsFile(SettingsFile settingsFile) {
            this.settingsFile = settingsFile;
            return this;
        }

        /** A private directory per call, deleted after it; null for none, the default. */
        public Builder scratchDir(ScratchDir scratchDir) {
            this.scratchDir = scratchDir;
            return this;
        }

        /** How the tool keeps and continues conversations; none by default. */
        public Builder session(SessionSpec session) {
            this.session = Optional.of(session);
            return this;
        }

        public Builder session(Optional<SessionSpec> session) {
            this.session = Objects.requireNonNull(session, "session");
            return this;
        }

        /**
         * The definition.
         *
         * @throws IllegalStateException    when {@code name} was not set
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public ToolDefinition build() {
            if (name == null) {
                throw new IllegalStateException("ToolDefinition.name is required and was not set");
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException("ToolDefinition.name must not be blank, was '" + name + "'");
            }
            return new ToolDefinition(name, type, binary, binaryByOs, args, prompt, env, models, output, timeout,
                    retriableWhen, versionArgs, maxOutputBytes, options, leaveDescendants, errors,
                    Optional.ofNullable(settingsFile), Optional.ofNullable(scratchDir), session);
        }

        private <K, V> Builder replace(Map<K, V> target, Map<K, V> values, String part) {
            Objects.requireNonNull(values, part);
            target.clear();
            target.putAll(values);
            return this;
        }

        private Builder replace(List<String> target, List<String> values, String part) {
            Objects.requireNonNull(values, part);
            target.clear();
            target.addAll(values);
            return this;
        }
    }
}
