package io.llmservice.core.internal.config;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.PromptMode;
import io.llmservice.config.SessionSpec;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks one tool on its own: a known adapter type, a binary for the {@code cli} type, only
 * known {@code {placeholders}} in {@code args}, {@code args_prepend} and {@code args_append},
 * consistent with {@code prompt:}, {@code {options.NAME}} naming an option, and output
 * JSONPaths that compile and fit the output format. Stateless apart from its collaborators.
 */
final class ToolChecker {
    static final List<String> PLACEHOLDERS = List.of("model", "prompt", "prompt_file", "workdir");
    /**
     * {@code {name}}: braces around an identifier, not preceded by {@code $} (an escaped
     * <code>$${X}</code> leaves the literal text <code>${X}</code>); other braces, such as
     * {@code {"a":1}}, are literal text.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\$)\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** {@code {options.NAME}}: a value of the tool's {@code options:}, in args and env values. */
    private static final Pattern OPTION = Pattern.compile("(?<!\\$)\\{options\\.([A-Za-z_][A-Za-z0-9_-]*)}");

    private final KnownTypes types;
    private final NodeReader reader;
    private final Problems problems;

    ToolChecker(KnownTypes types, NodeReader reader, Problems problems) {
        this.types = types;
        this.reader = reader;
        this.problems = problems;
    }

    void check(String name, ConfigBinding.Tool tool) {
        String path = "tools." + name;
        if (tool.type() != null && !types.toolTypes().contains(tool.type())) {
            report(path + ".type", CrossReferenceChecker.unknownType("tool type", tool.type(), types.toolTypes()));
        }
        if ("cli".equals(tool.type()) && tool.binary() == null && !problems.reportedAtOrAbove(path + ".binary")) {
            report(path, "binary is required for a tool of type cli; add binary: <name on PATH or a path>");
        }
        if (tool.args() != null && tool.argsPrepend() != null && tool.argsAppend() != null) {
            checkArgs(path, tool);
        }
        if (tool.env() != null && tool.options() != null) {
            tool.env().forEach((key, value) -> checkOptions(path + ".env." + key, value, tool.options()));
        }
        if (tool.errors() != null && tool.options() != null) {
            checkOptions(path + ".errors.auth_hint", tool.errors().authHint(), tool.options());
            tool.errors().exitHints().forEach((code, hint) ->
                    checkOptions(path + ".errors.exit_hints." + code, hint, tool.options()));
        }
        if (tool.output() != null) {
            checkOutput(path + ".output", tool.output());
        }
        if (tool.session() != null) {
            checkSession(path + ".session", tool);
        }
    }

    /**
     * {@code session:}: {@code resume} holds {@code {session}} as a whole argument, no other
     * placeholder anywhere, and {@code id} names where a json or jsonl output says the session.
     */
    private void checkSession(String path, ConfigBinding.Tool tool) {
        ConfigBinding.Session s = tool.session();
        checkSessionArgs(path + ".ephemeral", s.ephemeral(), false);
        checkSessionArgs(path + ".start", s.start(), false);
        checkSessionArgs(path + ".resume", s.resume(), true);
        if (!s.resume().contains(SessionSpec.SESSION_PLACEHOLDER)) {
            report(s.resume().isEmpty() ? path : path + ".resume", "resume needs the arguments that continue a"
                    + " session, with {session} as one whole argument, e.g. resume: [\"--resume\", \"{session}\"]");
        }
        if (s.id().isEmpty()) {
            report(path, "id is required: the JSONPath of the session id in the tool's output, e.g. id: $.session_id");
        } else if (tool.output() != null && tool.output().format() == OutputFormat.TEXT) {
            report(path + ".id", "a session id is read from json or jsonl output, and this tool's output is text;"
                    + " set output.format to json or jsonl, or remove session:");
        }
        boolean single = !reader.recorded(path + ".id[0]");
        for (int i = 0; i < s.id().size(); i++) {
            String jsonPath = s.id().get(i);
            String at = single ? path + ".id" : path + ".id[" + i + "]";
            compileError(jsonPath).ifPresent(reason -> report(at, "invalid JSONPath \"" + jsonPath + "\": "
                    + reason + "; see https://github.com/json-path/JsonPath for the syntax"));
        }
    }

    private void checkSessionArgs(String path, List<String> args, boolean resume) {
        for (int i = 0; i < args.size(); i++) {
            Matcher m = PLACEHOLDER.matcher(args.get(i));
            while (m.find()) {
                String placeholder = "{" + m.group(1) + "}";
                if (resume && placeholder.equals(SessionSpec.SESSION_PLACEHOLDER)) {
                    if (!args.get(i).equals(placeholder)) {
                        report(path + "[" + i + "]", "{session} must be a whole argument (the id is passed as one"
                                + " argument); write \"--resume\", \"{session}\" instead of \"" + args.get(i) + "\"");
                    }
                } else {
                    report(path + "[" + i + "]", "unknown placeholder " + placeholder + " in session arguments; "
                            + (resume ? "only {session} is filled here" : "no placeholder is filled here"));
                }
            }
        }
    }

    private void checkArgs(String path, ConfigBinding.Tool tool) {
        PromptMode mode = tool.prompt();
        Map<String, String> found = new HashMap<>();
        checkArgList(path + "." + ToolInheritance.ARGS_PREPEND, tool.argsPrepend(), tool, found);
        checkArgList(path + ".args", tool.args(), tool, found);
        checkArgList(path + "." + ToolInheritance.ARGS_APPEND, tool.argsAppend(), tool, found);
        if (mode == PromptMode.ARGUMENT && !found.containsKey("prompt")) {
            report(path + ".prompt", "prompt: argument needs a {prompt} placeholder in args,"
                    + " e.g. args: [\"-p\", \"{prompt}\"]; add one or use prompt: stdin");
        }
        if (mode == PromptMode.FILE && !found.containsKey("prompt_file")) {
            report(path + ".prompt", "prompt: file needs a {prompt_file} placeholder in args,"
                    + " e.g. args: [\"--file\", \"{prompt_file}\"]; add one or use prompt: stdin");
        }
    }

    /**
     * One of {@code args}, {@code args_prepend}, {@code args_append}; adds the placeholders used to {@code found},
     * each with the path of its first use.
     */
    private void checkArgList(String listPath, List<String> args, ConfigBinding.Tool tool, Map<String, String> found) {
        PromptMode mode = tool.prompt();
        for (int i = 0; i < args.size(); i++) {
            String argPath = listPath + "[" + i + "]";
            if (tool.options() != null) {
                checkOptions(argPath, args.get(i), tool.options());
            }
            Matcher m = PLACEHOLDER.matcher(args.get(i));
            while (m.find()) {
                String placeholder = m.group(1);
                String firstUse = found.putIfAbsent(placeholder, argPath);
                if (("{" + placeholder + "}").equals(SessionSpec.ARGS_PLACEHOLDER)) {
                    checkSessionArgsPlaceholder(argPath, args.get(i), firstUse, tool);
                } else if (!PLACEHOLDERS.contains(placeholder)) {
                    String list = PLACEHOLDERS.stream().map(p -> "{" + p + "}").collect(Collectors.joining(", "));
                    report(argPath, "unknown placeholder {" + placeholder + "}" + Suggestions.closest(placeholder,
                            PLACEHOLDERS).map(c -> "; did you mean {" + c + "}? (placeholders: " + list + ")")
                            .orElse("; use one of " + list + ", or remove it"));
                } else if (placeholder.equals("prompt") && mode != null && mode != PromptMode.ARGUMENT) {
                    report(argPath, "{prompt} is only allowed with prompt: argument (this tool has prompt: "
                            + mode.yamlName() + "); remove it or set prompt: argument");
                } else if (placeholder.equals("prompt_file") && mode != null && mode != PromptMode.FILE) {
                    report(argPath, "{prompt_file} is only allowed with prompt: file (this tool has prompt: "
                            + mode.yamlName() + "); remove it or set prompt: file");
                }
            }
        }
    }

    /** Every {@code {options.NAME}} in {@code text} names one of the tool's options. */
    private void checkOptions(String path, String text, Map<String, String> options) {
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (!options.containsKey(name)) {
                String known = options.isEmpty() ? "the tool has no options" : "options: " + sorted(options.keySet());
                report(path, "unknown option {options." + name + "}" + Suggestions.closest(name, options.keySet())
                        .map(c -> "; did you mean {options." + c + "}? (" + known + ")")
                        .orElse("; " + known + "; add " + name + " under options: or remove the placeholder"));
            }
        }
    }

    /**
     * {@code {session_args}}: a whole argument, once in the whole argv ({@code args_prepend}, {@code args} and
     * {@code args_append} together, as they are rendered), in a tool with {@code session:}.
     */
    private void checkSessionArgsPlaceholder(String argPath, String arg, String firstUse, ConfigBinding.Tool tool) {
        if (!arg.equals(SessionSpec.ARGS_PLACEHOLDER)) {
            report(argPath, "{session_args} must be a whole argument (it stands for zero or more arguments)");
        } else if (firstUse != null) {
            report(argPath, "{session_args} may appear only once in args_prepend, args and args_append together"
                    + " (it is already at " + firstUse + "); keep one");
        } else if (tool.session() == null) {
            report(argPath, "{session_args} needs a session: block in this tool; add one or remove it");
        }
    }

    private void checkOutput(String path, ConfigBinding.Output output) {
        if (output.format() == OutputFormat.TEXT && !output.paths().isEmpty()) {
            String fields = output.paths().keySet().stream().map(OutputField::yamlName)
                    .collect(Collectors.joining(", "));
            report(path + ".format", "format text uses the whole output as the answer and takes no JSONPaths"
                    + " (found " + fields + "); remove them or use format json or jsonl");
            return;
        }
        for (Map.Entry<OutputField, List<String>> e : output.paths().entrySet()) {
            String fieldPath = path + "." + e.getKey().yamlName();
            boolean single = !reader.recorded(fieldPath + "[0]");
            for (int i = 0; i < e.getValue().size(); i++) {
                String jsonPath = e.getValue().get(i);
                String at = single ? fieldPath : fieldPath + "[" + i + "]";
                compileError(jsonPath).ifPresent(reason -> report(at, "invalid JSONPath \"" + jsonPath + "\": "
                        + reason + "; see https://github.com/json-path/JsonPath for the syntax"));
            }
        }
        ConfigBinding.ModelUsage perModel = output.modelUsage();
        if (perModel == null) {
            return;
        }
        if (output.format() == OutputFormat.TEXT) {
            report(path + ".model_usage", "format text has no per-model breakdown; remove model_usage"
                    + " or use format json or jsonl");
            return;
        }
        Map<String, String> jsonPaths = new java.util.LinkedHashMap<>();
        if (perModel.path() != null) {
            jsonPaths.put("path", perModel.path());
        }
        perModel.fields().forEach((field, p) -> jsonPaths.put(field.yamlName(), p));
        jsonPaths.forEach((key, jsonPath) -> compileError(jsonPath).ifPresent(reason -> report(
                path + ".model_usage." + key, "invalid JSONPath \"" + jsonPath + "\": " + reason
                        + "; see https://github.com/json-path/JsonPath for the syntax")));
    }

    /** Jayway's reason when the path does not compile. */
    static Optional<String> compileError(String jsonPath) {
        try {
            JsonPath.compile(jsonPath);
            return Optional.empty();
        } catch (InvalidPathException e) {
            String reason = e.getMessage() == null ? "cannot be parsed" : e.getMessage();
            return Optional.of(reason.replaceAll("\\s*\\R\\s*", " ").trim());
        } catch (RuntimeException | LinkageError e) {
            // Jayway fails on some truncated paths with an index error instead of a parse error
            return Optional.of("cannot be parsed (it ends too early or has unbalanced brackets)");
        }
    }

    private void report(String path, String message) {
        Optional<Node> node = reader.nodeAt(path);
        if (node.isPresent()) {
            problems.at(node.get(), path, message);
        } else {
            problems.at(Optional.empty(), path, message);
        }
    }

    static String sorted(java.util.Collection<String> names) {
        return names.stream().sorted().collect(Collectors.joining(", "));
    }
}
