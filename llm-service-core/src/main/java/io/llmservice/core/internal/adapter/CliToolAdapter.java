package io.llmservice.core.internal.adapter;

import io.llmservice.CallCancelledException;
import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ErrorCode;
import io.llmservice.ModelUsage;
import io.llmservice.ToolException;
import io.llmservice.ToolNotInstalledException;
import io.llmservice.ToolOutputException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.config.DefaultLocations;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.PromptMode;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.adapter.ArgvTemplate.Placeholder;
import io.llmservice.core.internal.exec.BinaryResolver;
import io.llmservice.core.internal.exec.ChildEnvironment;
import io.llmservice.core.internal.exec.ProcessResult;
import io.llmservice.core.internal.exec.ProcessRunner;
import io.llmservice.core.internal.exec.ProcessSpec;
import io.llmservice.core.internal.exec.ProcessStartException;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.Optional;

/**
 * The generic YAML-driven adapter ({@code type: cli}): starts the tool's binary with its
 * {@code args:}, hands it the prompt on stdin, as one argument or in a temporary file, reads
 * its output as {@code output:} declares and turns failures into the right
 * {@link ToolException}.
 *
 * <pre>{@code
 * ToolAdapter claude = new CliToolAdapterProvider().create(claudeDefinition, context);
 * ToolResult r = claude.invoke(invocation);   // r.text(), r.usage(), r.reportedCostUsd()
 * }</pre>
 *
 * <p>Never uses a shell; each placeholder fills exactly one argument; the child sees only the
 * minimal environment plus the tool's {@code env:} ({@link ChildEnvironment}). Tool text in the
 * exceptions it throws (standard error, the tool's error message, quotes of its output) is masked
 * by the context's {@link AdapterContext#redactor()} where the message is made. The binary is
 * resolved once, on first need, and the answer cached: {@link #availability()} is cheap.
 *
 * <p>Thread-safe: one instance serves concurrent invocations. {@link #close()} kills the
 * process trees still running.
 */
public final class CliToolAdapter implements ToolAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(CliToolAdapter.class);
    /** At most this many models' rendered arguments are kept (a tool has a handful of models). */
    private static final int MAX_CACHED_MODELS = 64;

    private final ToolDefinition tool;
    private final AdapterContext context;
    private final ArgvTemplate args;
    private final BinaryResolver resolver;
    private final ProcessRunner runner;
    private final OutputParser parser;
    private final FailureClassifier classifier;
    private final ReportedModelIds modelIds;
    private volatile BinaryResolver.Resolution resolution;
    /** The child's environment: fixed per adapter, since the parent's and the tool's are. */
    private final Map<String, String> childEnvironment;
    /** Whether the arguments depend on nothing but the model, so they can be rendered once per model. */
    private final boolean argsPerModel;
    private final Map<String, List<String>> argsByModel = new ConcurrentHashMap<>();
    /** The tool's private settings file ({@code settings_file:}); null when it has none. */
    private final PrivateSettingsFile settingsFile;
    /** Makes the tool's private directory per call ({@code scratch_dir:}); null when it has none. */
    private final ScratchDirectories scratchDirs;

    /**
     * An adapter for one tool, with its own process runner.
     *
     * @throws ConfigException when {@code args} and {@code prompt} do not fit together
     */
    public CliToolAdapter(ToolDefinition tool, AdapterContext context) {
        this(tool, context, new ProcessRunner(context.ticker()),
                new BinaryResolver(context.os(), context.environment(), BinaryResolver::isExecutableFile),
                new OutputParser(context.redactor()));
    }

    CliToolAdapter(ToolDefinition tool, AdapterContext context, ProcessRunner runner, BinaryResolver resolver,
                   OutputParser parser) {
        this.tool = Objects.requireNonNull(tool, "tool");
        this.modelIds = new ReportedModelIds(tool.models());
        this.context = Objects.requireNonNull(context, "context");
        this.runner = Objects.requireNonNull(runner, "runner");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.classifier = new FailureClassifier(context.redactor());
        this.args = withOptions("args", () -> ArgvTemplate.of(tool.args(), tool.options()));
        checkPromptPlaceholders();
        Path dataDirectory = DefaultLocations.of(context.os(), context.environment(),
                Path.of(System.getProperty("user.home", ""))).dataDirectory();
        this.settingsFile = tool.settingsFile().map(f -> new PrivateSettingsFile(tool.name(), f, dataDirectory))
                .orElse(null);
        this.scratchDirs = tool.scratchDir().map(d -> new ScratchDirectories(tool.name(), d, dataDirectory))
                .orElse(null);
        Map<String, String> env = new LinkedHashMap<>();
        tool.env().forEach((name, value) -> env.put(name,
                withOptions("env." + name, () -> ArgvTemplate.renderOptions(value, tool.options()))));
        if (settingsFile != null) {
            // The tool finds its private settings through the variable its YAML names.
            env.put(tool.settingsFile().get().env(), settingsFile.path().toString());
        }
        // Map.copyOf once, so each call's ProcessSpec can take it without copying.
        this.childEnvironment = Map.copyOf(ChildEnvironment.build(context.os(), context.environment(), env));
        this.argsPerModel = EnumSet.of(Placeholder.MODEL).containsAll(args.placeholders());
        // Hints are rendered when a call fails; an unknown option in one is a config error now, not then.
        withOptions("errors.auth_hint", () -> ArgvTemplate.renderOptions(tool.errors().authHint(), tool.options()));
        tool.errors().exitHints().forEach((code, hint) ->
                withOptions("errors.exit_hints." + code, () -> ArgvTemplate.renderOptions(hint, tool.options())));
    }

    /** {@code render}'s result; an unknown {@code {options.NAME}} becomes a config error at {@code part}. */
    private <T> T withOptions(String part, Supplier<T> render) {
        try {
            return render.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(problem("tools." + tool.name() + "." + part, e.getMessage())));
        }
    }

    private void checkPromptPlaceholders() {
        List<ConfigProblem> problems = new ArrayList<>();
        String where = "tools." + tool.name();
        boolean hasPrompt = args.placeholders().contains(Placeholder.PROMPT);
        boolean hasFile = args.placeholders().contains(Placeholder.PROMPT_FILE);
        if (tool.prompt() == PromptMode.ARGUMENT && !hasPrompt) {
            problems.add(problem(where + ".args", "prompt: argument needs a {prompt} placeholder in args"));
        }
        if (tool.prompt() == PromptMode.FILE && !hasFile) {
            problems.add(problem(where + ".args", "prompt: file needs a {prompt_file} placeholder in args"));
        }
        if (tool.prompt() != PromptMode.ARGUMENT && hasPrompt) {
            problems.add(problem(where + ".args", "{prompt} is only filled with prompt: argument (prompt is "
                    + tool.prompt().yamlName() + ")"));
        }
        if (tool.prompt() != PromptMode.FILE && hasFile) {
            problems.add(problem(where + ".args", "{prompt_file} is only filled with prompt: file (prompt is "
                    + tool.prompt().yamlName() + ")"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    private static ConfigProblem problem(String path, String message) {
        return new ConfigProblem("tool definition", 0, 0, path, message);
    }

    @Override
    public Availability availability() {
        // Always a fresh look: the service caches this answer for a while, and a tool installed or
        // removed since the last look must be noticed.
        BinaryResolver.Resolution r = resolver.resolve(binary());
        resolution = r;
        return r.path().map(Availability::installedAt)
                .orElseGet(() -> Availability.missing("'" + binary() + "' not found (" + r.searched() + ")"));
    }

    /**
     * The binary to start: the last resolution (refreshed by every {@link #availability()}, which
     * the service asks for every 30 s), else a fresh one. Not re-checked per call — that cost two
     * file-system calls each time; a binary that has gone since shows up as a failed start, and
     * {@link #invoke} looks again then.
     */
    private BinaryResolver.Resolution resolve() {
        BinaryResolver.Resolution r = resolution;
        if (r == null || r.path().isEmpty()) {
            // Racing threads may both resolve; the answers are the same, so no lock is needed.
            r = resolver.resolve(binary());
            resolution = r;
        }
        return r;
    }

    private String binary() {
        return tool.binaryFor(context.os());
    }

    @Override
    public ToolResult invoke(ToolInvocation invocation) {
        Objects.requireNonNull(invocation, "invocation");
        if (invocation.cancellation().isCancelled()) {
            throw cancelled(invocation, "before the tool started");
        }
        BinaryResolver.Resolution r = resolve();
        Path executable = r.path().orElseThrow(() -> new ToolNotInstalledException(tool.name(), binary(), r.searched()));
        byte[] prompt = invocation.prompt().getBytes(StandardCharsets.UTF_8);
        try {
            return invoke(executable, invocation, prompt);
        } catch (ProcessStartException e) {
            // Found before but not startable now. Gone (uninstalled, moved): look again, and run the
            // binary found now if it is another one; otherwise (not an executable format, bad working
            // directory) this candidate cannot serve, another may.
            BinaryResolver.Resolution fresh = resolver.resolve(binary());
            resolution = fresh;
            Path now = fresh.path().orElseThrow(() -> new ToolNotInstalledException(tool.name(), binary(), fresh.searched()));
            if (!now.equals(executable)) {
                try {
                    return invoke(now, invocation, prompt);
                } catch (ProcessStartException again) {
                    throw notStartable(again);
                }
            }
            throw notStartable(e);
        }
    }

    private ToolResult invoke(Path executable, ToolInvocation invocation, byte[] prompt) {
        PromptFile promptFile = null;
        if (settingsFile != null) {
            settingsFile.ensureWritten();
        }
        // A call that keeps or continues a session needs the CLI's transcript after it: no scratch directory.
        Path scratch = scratchDirs == null || invocation.keepsSession() ? null : scratchDirs.create();
        try {
            List<String> command = new ArrayList<>(tool.args().size() + 1);
            command.add(executable.toString());
            if (argsPerModel) {
                command.addAll(argsFor(invocation.toolModelName()));
            } else {
                promptFile = renderInto(command, invocation, prompt);
            }
            if (tool.session().isPresent()) {
                SessionArgs.apply(command, 1, tool.args(), tool.session().get(), invocation);
            } else if (invocation.keepsSession()) {
                // Routing keeps sessioned requests away from such a tool; an adapter called directly says why.
                throw new ToolException(ErrorCode.INVALID_REQUEST, tool.name(), "cannot keep or continue a session:"
                        + " the tool has no session: in its definition; add one or call it without a session", false);
            }

            ProcessSpec.Builder spec = ProcessSpec.builder(command)
                    .environment(scratch == null ? childEnvironment : scratchDirs.environment(childEnvironment, scratch))
                    .timeout(invocation.timeout())
                    .maxOutputBytes(Math.min(tool.maxOutputBytes(), ProcessSpec.MAX_OUTPUT_BYTES_LIMIT))
                    .leaveDescendants(tool.leaveDescendants());
            invocation.workingDirectory().ifPresent(spec::workingDirectory);
            if (tool.prompt() == PromptMode.STDIN) {
                spec.stdin(prompt);
            }
            ProcessResult result = runner.run(spec.build(), invocation.cancellation());
            return interpret(result, invocation);
        } finally {
            deleteQuietly(promptFile);
            if (scratch != null) {
                scratchDirs.delete(scratch);
            }
        }
    }

    private ToolException notStartable(ProcessStartException e) {
        return new ToolException(ErrorCode.TOOL_IO, tool.name(), e.getMessage(), true, e);
    }

    private List<String> argsFor(String toolModel) {
        List<String> rendered = argsByModel.get(toolModel);
        if (rendered == null) {
            rendered = List.copyOf(args.render(Map.of(Placeholder.MODEL, toolModel)));
            if (argsByModel.size() < MAX_CACHED_MODELS) {
                argsByModel.put(toolModel, rendered);
            }
        }
        return rendered;
    }

    /** Renders arguments that depend on the call (prompt, prompt file, working directory); returns the prompt file, if any. */
    private PromptFile renderInto(List<String> command, ToolInvocation invocation, byte[] prompt) {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.MODEL, invocation.toolModelName());
        if (args.placeholders().contains(Placeholder.WORKDIR)) {
            values.put(Placeholder.WORKDIR, invocation.workingDirectory().orElseGet(() -> Path.of(""))
                    .toAbsolutePath().toString());
        }
        PromptFile promptFile = null;
        switch (tool.prompt()) {
            case ARGUMENT -> {
                if (invocation.prompt().indexOf('\0') >= 0) {
                    // Retriable: another candidate may take the prompt on stdin.
                    throw new ToolException(ErrorCode.TOOL_IO, tool.name(), "the prompt contains a NUL character,"
                            + " which no OS can pass in an argument (prompt: argument); use prompt: stdin or file",
                            true);
                }
                values.put(Placeholder.PROMPT, invocation.prompt());
            }
            case FILE -> {
                promptFile = writePromptFile(prompt);
                values.put(Placeholder.PROMPT_FILE, promptFile.path().toString());
            }
            case STDIN -> { }
        }
        try {
            command.addAll(args.render(values));
        } catch (RuntimeException e) {
            deleteQuietly(promptFile);
            throw e;
        }
        return promptFile;
    }

    private PromptFile writePromptFile(byte[] prompt) {
        try {
            return PromptFile.write(prompt);
        } catch (IOException e) {
            throw new ToolException(ErrorCode.TOOL_IO, tool.name(), "cannot write the prompt file: " + e.getMessage(),
                    false, e);
        }
    }

    private void deleteQuietly(PromptFile file) {
        if (file == null) {
            return;
        }
        try {
            file.close();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("tool '{}': could not delete prompt file {}: {}", tool.name(), file.path(), e.toString());
        }
    }

    /**
     * What a killed tool was stuck on, when it said so: a tool retrying an unreachable API until
     * the timeout (codex reports each reconnect as a JSON event) gets "could not reach the API:
     * connection refused", not only "timed out". A text answer on stdout is not searched: it is
     * the model's text, which may well talk about connections.
     */
    private String stuckOn(ProcessResult result) {
        String searched = tool.output().format() == OutputFormat.TEXT ? result.stderrText()
                : result.stdoutText() + "\n" + result.stderrText();
        return FailureClassifier.unreachable(searched)
                .map(cause -> "the tool kept retrying; could not reach the API: " + cause).orElse("");
    }

    /** Classifies the run and parses its output, once, now that the tool has exited. */
    private ToolResult interpret(ProcessResult result, ToolInvocation invocation) {
        switch (result.termination()) {
            case TIMED_OUT -> throw new ToolTimeoutException(tool.name(), invocation.timeout(), stuckOn(result));
            case CANCELLED -> throw cancelled(invocation, "while it ran; its process tree was killed");
            case INTERRUPTED -> {
                Thread.currentThread().interrupt();
                throw cancelled(invocation, "because the calling thread was interrupted; its process tree was killed");
            }
            case EXITED -> { }
        }
        List<String> warnings = new ArrayList<>();
        if (result.stdoutCapped()) {
            warnings.add("stdout capped at " + result.stdout().length + " bytes of " + result.stdoutTotalBytes());
        }
        if (result.stderrCapped()) {
            warnings.add("stderr capped at " + result.stderr().length + " bytes of " + result.stderrTotalBytes());
        }
        String stdout = result.stdoutText();
        String stderr = result.stderrText();
        // A tool may print its error report on standard error (gemini 0.61: stdout empty).
        Optional<ParsedOutput> stderrReport = tool.errors().readsFrom(ErrorSource.STDERR) && !stderr.isBlank()
                ? parser.errorReport(tool.name(), tool.output(), stderr) : Optional.empty();
        ParsedOutput parsed;
        try {
            parsed = parser.parse(tool.name(), tool.output(), result.stdout(), invocation.keepsSession()
                    ? tool.session().orElseThrow().id() : List.of());
        } catch (ToolOutputException unreadable) {
            Optional<ToolException> failure = classifier.classify(tool, result.exitCode(), Optional.empty(), stderrReport,
                    stdout, stderr);
            if (failure.isPresent()) {
                // A failed run often prints no JSON; the exit status is the real story.
                failure.get().addSuppressed(unreadable);
                throw failure.get();
            }
            if (result.stdoutCapped()) {
                throw new ToolOutputException(tool.name(), "output was capped at " + result.stdout().length
                        + " bytes (the tool printed " + result.stdoutTotalBytes() + ") and the " + tool.output().format().yamlName()
                        + " got cut; raise tools." + tool.name() + ".max_output_bytes", unreadable);
            }
            throw unreadable;
        }
        Optional<ToolException> failure = classifier.classify(tool, result.exitCode(), Optional.of(parsed), stderrReport,
                stdout, stderr);
        if (failure.isPresent()) {
            throw failure.get();
        }
        logSuccess(invocation, result);
        ToolResult answer = answer(parsed, warnings, result.exitCode(), invocation.modelId());
        return invocation.keepsSession() ? withSessionId(answer, parsed.sessionId()) : answer;
    }

    /** The result of a run that succeeded with this output; {@code warnings} so far (capped streams) come first. */
    private ToolResult answer(ParsedOutput parsed, List<String> warnings, int exitCode, String requestedModel) {
        warnings.addAll(parsed.warnings());
        String text = parsed.text().orElse("");
        if (text.isBlank()) {
            warnings.add(tool.output().format() == OutputFormat.TEXT || parsed.text().isPresent()
                    ? "the tool's answer is empty"
                    : "the tool's answer is empty: output.text (" + String.join(", ", tool.output().paths(
                            io.llmservice.config.OutputField.TEXT)) + ") matched nothing");
        }
        // The model is the one requested; the breakdown says what really ran (sub-agents on other
        // models included), with the tool's ids mapped back to catalogue ids.
        Optional<String> reportedModel = parsed.model().isPresent() ? parsed.model()
                : modelIds.servedRequest(requestedModel, parsed.modelUsage()).map(ModelUsage::model);
        return ToolResult.builder(text).usage(parsed.usage()).reportedCostUsd(parsed.costUsd())
                .reportedModel(reportedModel).exitCode(exitCode).warnings(warnings)
                .modelUsage(modelIds.catalogueIds(parsed.modelUsage(), requestedModel)).build();
    }

    /** The result with the session id the output names, or a warning that it names none. */
    private ToolResult withSessionId(ToolResult answer, Optional<String> id) {
        if (id.isEmpty()) {
            return answer.toBuilder().warning("session id not reported: session.id (" + String.join(", ",
                    tool.session().orElseThrow().id())
                    + ") matched nothing; the conversation cannot be continued").build();
        }
        return answer.toBuilder().sessionId(id).build();
    }

    private void logSuccess(ToolInvocation invocation, ProcessResult result) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("tool '{}' request {} attempt {}: exit 0 in {} ms", tool.name(), invocation.requestId(),
                    invocation.attempt(), result.elapsed().toMillis());
        }
    }

    private CallCancelledException cancelled(ToolInvocation invocation, String when) {
        return new CallCancelledException("request " + invocation.requestId() + " (attempt " + invocation.attempt()
                + ", tool '" + tool.name() + "') was cancelled " + when);
    }

    /** Kills the process trees of this adapter's running invocations. */
    @Override
    public void close() {
        runner.killAll();
    }

    @Override
    public String toString() {
        return "CliToolAdapter{tool=" + tool.name() + ", binary=" + binary() + "}";
    }
}
