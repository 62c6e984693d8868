package io.llmservice.core.internal.config;

import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.PromptMode;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks one tool on its own: a known adapter type, a binary for the {@code cli} type, only
 * known {@code {placeholders}} in {@code args} and consistent with {@code prompt:}, and output
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
        if (tool.args() != null) {
            checkArgs(path, tool);
        }
        if (tool.output() != null) {
            checkOutput(path + ".output", tool.output());
        }
    }

    private void checkArgs(String path, ConfigBinding.Tool tool) {
        boolean hasPrompt = false;
        boolean hasPromptFile = false;
        List<String> args = tool.args();
        PromptMode mode = tool.prompt();
        for (int i = 0; i < args.size(); i++) {
            String argPath = path + ".args[" + i + "]";
            Matcher m = PLACEHOLDER.matcher(args.get(i));
            while (m.find()) {
                String placeholder = m.group(1);
                if (!PLACEHOLDERS.contains(placeholder)) {
                    String list = PLACEHOLDERS.stream().map(p -> "{" + p + "}").collect(Collectors.joining(", "));
                    report(argPath, "unknown placeholder {" + placeholder + "}" + Suggestions.closest(placeholder,
                            PLACEHOLDERS).map(c -> "; did you mean {" + c + "}? (placeholders: " + list + ")")
                            .orElse("; use one of " + list + ", or remove it"));
                } else if (placeholder.equals("prompt")) {
                    hasPrompt = true;
                    if (mode != null && mode != PromptMode.ARGUMENT) {
                        report(argPath, "{prompt} is only allowed with prompt: argument (this tool has prompt: "
                                + mode.yamlName() + "); remove it or set prompt: argument");
                    }
                } else if (placeholder.equals("prompt_file")) {
                    hasPromptFile = true;
                    if (mode != null && mode != PromptMode.FILE) {
                        report(argPath, "{prompt_file} is only allowed with prompt: file (this tool has prompt: "
                                + mode.yamlName() + "); remove it or set prompt: file");
                    }
                }
            }
        }
        if (mode == PromptMode.ARGUMENT && !hasPrompt) {
            report(path + ".prompt", "prompt: argument needs a {prompt} placeholder in args,"
                    + " e.g. args: [\"-p\", \"{prompt}\"]; add one or use prompt: stdin");
        }
        if (mode == PromptMode.FILE && !hasPromptFile) {
            report(path + ".prompt", "prompt: file needs a {prompt_file} placeholder in args,"
                    + " e.g. args: [\"--file\", \"{prompt_file}\"]; add one or use prompt: stdin");
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
