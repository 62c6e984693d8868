package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.llmservice.ModelUsage;
import io.llmservice.ToolOutputException;
import io.llmservice.Usage;
import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import io.llmservice.spi.Redactor;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a tool's standard output as its {@code output:} section declares: one JSON document,
 * JSON lines (the document is the array of the lines' values) or plain text. Documents are
 * Jackson {@link JsonNode} trees; the paths are evaluated by {@link JsonPathExtractor}.
 *
 * <pre>{@code
 * ParsedOutput p = new OutputParser().parse("claude-code", tool.output(), stdout);
 * p.text();          // Optional[STUB-OK]
 * p.usage();         // Usage{input=123, output=45, cacheRead=0, cacheWrite=0}
 * }</pre>
 *
 * <p>Rules: a numeric field is the sum over all matches of all its paths; text, error message
 * and model take the last match; a field whose paths match nothing is unknown (never zero) and
 * is named in a warning. With {@code model_usage}, each model's entry is read the same way, and
 * a token count known for every model is the sum over the models (sub-agents included) instead of
 * the flat field; the flat fields remain for outputs whose breakdown is empty (an error).
 * Floating-point numbers are read as {@link BigDecimal} from the JSON text, so a reported cost is
 * exact.
 *
 * <p>Secrets: the quotes of the output that errors and warnings carry, and the JSON parser's
 * complaint (which can quote a token), go through the {@link Redactor} first; the parser's own
 * exception is not attached as a cause, since its message holds the raw text.
 *
 * <p>Immutable and thread-safe; one instance may serve every tool.
 */
public final class OutputParser {

    /** How much of a bad output an error message quotes. */
    static final int QUOTE_CHARS = 200;

    /**
     * Reads JSON as trees, floats as {@link BigDecimal} with the scale printed, so a reported
     * cost is exact.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final JsonPathExtractor extractor = new JsonPathExtractor(JSON);
    private final Redactor redactor;

    /** A parser whose messages quote the output unmasked; for tests and benchmarks. */
    public OutputParser() {
        this(Redactor.none());
    }

    /** @param redactor masks secrets in the output that messages and warnings quote */
    public OutputParser(Redactor redactor) {
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /**
     * Parses one run's standard output.
     *
     * @param tool   the tool's name, for messages
     * @param spec   the tool's {@code output:} section
     * @param stdout the captured standard output, UTF-8 (malformed bytes read as U+FFFD)
     * @throws ToolOutputException when the output is not in the declared format (quoting its
     *                             first 200 characters), or a path is not valid JSONPath
     */
    public ParsedOutput parse(String tool, OutputSpec spec, byte[] stdout) {
        return parse(tool, spec, stdout, List.of());
    }

    /**
     * Parses one run's standard output and, in the same pass, the session id: the first string
     * match of the first of {@code sessionIdPaths} that matches (a tool's {@code session.id}).
     *
     * @param sessionIdPaths JSONPaths of the session id; empty when the call keeps no session
     * @see #parse(String, OutputSpec, byte[])
     */
    public ParsedOutput parse(String tool, OutputSpec spec, byte[] stdout, List<String> sessionIdPaths) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(stdout, "stdout");
        if (spec.format() == OutputFormat.JSON && !blank(stdout)) {
            // Straight from the bytes: Jackson's UTF-8 parser, no String in between.
            JsonNode document;
            try {
                document = document(JSON.createParser(stdout));
            } catch (IOException e) {
                // Not JSON, or bytes Jackson cannot decode: the text path reports the error.
                return parse(tool, spec, new String(stdout, StandardCharsets.UTF_8), sessionIdPaths);
            }
            return extract(Objects.requireNonNull(tool, "tool"), spec, document, sessionIdPaths);
        }
        return parse(tool, spec, new String(stdout, StandardCharsets.UTF_8), sessionIdPaths);
    }

    /** Whether the bytes are empty or whitespace only, as {@link String#isBlank()} says of their UTF-8 text. */
    private static boolean blank(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return new String(bytes, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses one run's standard output, already decoded.
     *
     * @see #parse(String, OutputSpec, byte[])
     */
    public ParsedOutput parse(String tool, OutputSpec spec, String stdout) {
        return parse(tool, spec, stdout, List.of());
    }

    /**
     * Parses one run's standard output, already decoded, with its session id.
     *
     * @see #parse(String, OutputSpec, byte[], List)
     */
    public ParsedOutput parse(String tool, OutputSpec spec, String stdout, List<String> sessionIdPaths) {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(stdout, "stdout");
        if (spec.format() == OutputFormat.TEXT) {
            return new ParsedOutput(Optional.of(stdout), Usage.unknown(), Optional.empty(), false,
                    OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    List.of("usage not reported: output format is text"), List.of(), Optional.empty());
        }
        JsonNode document = spec.format() == OutputFormat.JSONL ? readJsonLines(tool, stdout) : readJson(tool, stdout);
        return extract(tool, spec, document, sessionIdPaths);
    }

    /** How many candidate starts {@link #errorReport} tries, from the end of the text. */
    private static final int MAX_ERROR_DOCUMENT_STARTS = 64;

    /**
     * The error fields ({@code is_error}, {@code error_status}, {@code error_message}) of the last
     * JSON document in {@code text}: a tool that writes warnings and a stack trace to standard
     * error and then its JSON error report (gemini 0.61) has the report read. The document starts
     * at the beginning of a line with '{' and runs to the end of the text.
     *
     * @return empty when the text ends in no JSON document or the spec declares no error field
     */
    public Optional<ParsedOutput> errorReport(String tool, OutputSpec spec, String text) {
        Objects.requireNonNull(tool, "tool");
        Map<OutputField, List<String>> errorPaths = new EnumMap<>(OutputField.class);
        for (OutputField f : List.of(OutputField.IS_ERROR, OutputField.ERROR_STATUS, OutputField.ERROR_MESSAGE)) {
            if (!spec.paths(f).isEmpty()) {
                errorPaths.put(f, spec.paths(f));
            }
        }
        if (errorPaths.isEmpty() || spec.format() == OutputFormat.TEXT) {
            return Optional.empty();
        }
        OutputSpec errorsOnly = OutputSpec.builder().format(OutputFormat.JSON).paths(errorPaths).build();
        int tries = 0;
        for (int at = text.lastIndexOf('{'); at >= 0 && tries < MAX_ERROR_DOCUMENT_STARTS; at = text.lastIndexOf('{', at - 1)) {
            if (at > 0 && text.charAt(at - 1) != '\n') {
                continue;
            }
            tries++;
            try {
                JsonNode document = document(JSON.createParser(text.substring(at)));
                ParsedOutput p = extract(tool, errorsOnly, document, List.of());
                return Optional.of(new ParsedOutput(Optional.empty(), Usage.unknown(), Optional.empty(), p.reportedError(),
                        p.errorStatus(), p.errorMessage(), Optional.empty(), List.of(), List.of(), Optional.empty()));
            } catch (IOException notADocument) {
                // an earlier '{' may start the whole document
            }
        }
        return Optional.empty();
    }

    private JsonNode readJson(String tool, String stdout) {
        if (stdout.isBlank()) {
            throw new ToolOutputException(tool, "printed no output where JSON was declared (output.format: json)", null);
        }
        try {
            return document(JSON.createParser(stdout));
        } catch (IOException e) {
            throw new ToolOutputException(tool, "output is not valid JSON (output.format: json): "
                    + jsonProblem(e) + "; output starts with: " + quote(stdout), null);
        }
    }

    private ArrayNode readJsonLines(String tool, String stdout) {
        ArrayNode events = JSON.createArrayNode();
        String[] lines = stdout.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                events.add(document(JSON.createParser(line)));
            } catch (IOException e) {
                throw new ToolOutputException(tool, "output line " + (i + 1) + " is not valid JSON (output.format: jsonl): "
                        + jsonProblem(e) + "; the line starts with: " + quote(line), null);
            }
        }
        if (events.isEmpty()) {
            throw new ToolOutputException(tool, "printed no JSON lines where JSON lines were declared (output.format: jsonl)",
                    null);
        }
        return events;
    }

    /** One JSON document: one value, then nothing but whitespace. */
    private static JsonNode document(JsonParser parser) throws IOException {
        try (parser) {
            JsonNode value = JSON.readTree(parser);
            if (value == null) {
                throw new JsonParseException(parser, "No content to read: end of input before any value");
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing
                        + ") found after the value: not one JSON document");
            }
            return value;
        }
    }

    private ParsedOutput extract(String tool, OutputSpec spec, JsonNode document, List<String> sessionIdPaths) {
        List<String> warnings = new ArrayList<>();
        List<ModelUsage> perModel = spec.modelUsage().map(m -> perModel(tool, spec, m, document, warnings))
                .orElse(List.of());
        Usage modelsTotal = ModelUsage.totalUsage(perModel);
        Map<OutputField, List<JsonNode>> matches = new EnumMap<>(OutputField.class);
        for (Map.Entry<OutputField, List<String>> e : spec.paths().entrySet()) {
            List<String> paths = e.getValue();
            List<JsonNode> all;
            try {
                if (paths.size() == 1) {
                    all = extractor.matches(document, paths.get(0));
                } else {
                    all = new ArrayList<>();
                    for (String path : paths) {
                        all.addAll(extractor.matches(document, path));
                    }
                }
            } catch (IllegalArgumentException bad) {
                throw new ToolOutputException(tool, "output." + e.getKey().yamlName() + ": " + bad.getMessage(), bad);
            }
            matches.put(e.getKey(), all);
        }

        // A count every model's entry gave is their sum (each entry already priced once); else the flat field.
        boolean inputFromModels = modelsTotal.inputTokens().isPresent();
        OptionalLong input = inputFromModels ? modelsTotal.inputTokens()
                : count(OutputField.INPUT_TOKENS, spec, matches, warnings);
        OptionalLong output = modelsTotal.outputTokens().isPresent() ? modelsTotal.outputTokens()
                : count(OutputField.OUTPUT_TOKENS, spec, matches, warnings);
        OptionalLong cacheRead = modelsTotal.cacheReadTokens().isPresent() ? modelsTotal.cacheReadTokens()
                : count(OutputField.CACHE_READ_TOKENS, spec, matches, warnings);
        OptionalLong cacheWrite = modelsTotal.cacheWriteTokens().isPresent() ? modelsTotal.cacheWriteTokens()
                : count(OutputField.CACHE_WRITE_TOKENS, spec, matches, warnings);
        if (!inputFromModels) {
            input = withoutCacheReads(spec, input, cacheRead);
        }
        Usage usage = Usage.of(input, output, cacheRead, cacheWrite);

        // The tool's own total when it prints one (claude's total_cost_usd is the sum of its
        // models' costs, rounded once); else the sum of the models' costs.
        Optional<BigDecimal> cost = sum(OutputField.COST_USD, matches.getOrDefault(OutputField.COST_USD, List.of()), warnings);
        if (cost.isEmpty()) {
            cost = ModelUsage.totalCostUsd(perModel);
        }
        boolean reportedError = false;
        for (JsonNode match : matches.getOrDefault(OutputField.IS_ERROR, List.of())) {
            reportedError |= truthy(match);
        }
        OptionalInt errorStatus = lastNumber(OutputField.ERROR_STATUS, matches, warnings);
        return new ParsedOutput(lastText(matches.get(OutputField.TEXT)), usage, cost, reportedError, errorStatus,
                lastText(matches.get(OutputField.ERROR_MESSAGE)), lastText(matches.get(OutputField.MODEL)), warnings,
                perModel, sessionId(document, sessionIdPaths));
    }

    /** The tool's input count already holds the cached tokens when the spec says so: price each token once. */
    private static OptionalLong withoutCacheReads(OutputSpec spec, OptionalLong input, OptionalLong cacheRead) {
        if (spec.inputIncludesCacheRead() && input.isPresent() && cacheRead.isPresent()) {
            return OptionalLong.of(Math.max(0, input.getAsLong() - cacheRead.getAsLong()));
        }
        return input;
    }

    /**
     * Each model's entry of the breakdown, in the output's order; the ids as the tool printed them.
     * A match that is not an object is named in a warning; an empty object is no breakdown.
     */
    private List<ModelUsage> perModel(String tool, OutputSpec spec, ModelUsageSpec m, JsonNode document,
                                      List<String> warnings) {
        List<JsonNode> found;
        try {
            found = extractor.matches(document, m.path());
        } catch (IllegalArgumentException bad) {
            throw new ToolOutputException(tool, "output.model_usage.path: " + bad.getMessage(), bad);
        }
        List<ModelUsage> shares = new ArrayList<>();
        for (JsonNode breakdown : found) {
            if (breakdown.isNull()) {
                continue;
            }
            if (!breakdown.isObject()) {
                warnings.add("output.model_usage.path matched a value that is not an object keyed by model, ignored: "
                        + quote(breakdown.toString()));
                continue;
            }
            for (Map.Entry<String, JsonNode> entry : breakdown.properties()) {
                if (entry.getKey().isBlank()) {
                    warnings.add("output.model_usage.path: an entry without a model id, ignored");
                    continue;
                }
                shares.add(share(tool, spec, m, entry.getKey(), entry.getValue(), warnings));
            }
        }
        return shares;
    }

    private ModelUsage share(String tool, OutputSpec spec, ModelUsageSpec m, String model, JsonNode entry,
                             List<String> warnings) {
        Map<OutputField, List<JsonNode>> matches = new EnumMap<>(OutputField.class);
        for (Map.Entry<OutputField, String> f : m.fields().entrySet()) {
            try {
                matches.put(f.getKey(), extractor.matches(entry, f.getValue()));
            } catch (IllegalArgumentException bad) {
                throw new ToolOutputException(tool, "output.model_usage." + f.getKey().yamlName() + ": "
                        + bad.getMessage(), bad);
            }
        }
        OptionalLong cacheRead = entryCount(OutputField.CACHE_READ_TOKENS, model, matches, warnings);
        OptionalLong input = withoutCacheReads(spec, entryCount(OutputField.INPUT_TOKENS, model, matches, warnings),
                cacheRead);
        Usage usage = Usage.of(input, entryCount(OutputField.OUTPUT_TOKENS, model, matches, warnings), cacheRead,
                entryCount(OutputField.CACHE_WRITE_TOKENS, model, matches, warnings));
        Optional<BigDecimal> cost = sum(OutputField.COST_USD, matches.getOrDefault(OutputField.COST_USD, List.of()),
                warnings).filter(c -> c.signum() >= 0);
        return new ModelUsage(model, usage, cost);
    }

    /** A count in one model's entry: unknown when unconfigured or unmatched, the latter named in a warning. */
    private OptionalLong entryCount(OutputField field, String model, Map<OutputField, List<JsonNode>> matches,
                                    List<String> warnings) {
        List<JsonNode> found = matches.get(field);
        if (found == null) {
            return OptionalLong.empty();
        }
        Optional<BigDecimal> total = sum(field, found, warnings);
        if (total.isEmpty() || total.get().signum() < 0 || total.get().stripTrailingZeros().scale() > 0) {
            warnings.add("usage not reported: model_usage." + field.yamlName() + " of " + model
                    + (total.isEmpty() ? " (matched no number)" : " (the output says " + total.get().toPlainString()
                    + ", not a token count)"));
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(total.get().longValueExact());
        } catch (ArithmeticException tooBig) {
            warnings.add("usage not reported: model_usage." + field.yamlName() + " of " + model + " ("
                    + total.get().toPlainString() + " is out of range)");
            return OptionalLong.empty();
        }
    }

    private OptionalLong count(OutputField field, OutputSpec spec, Map<OutputField, List<JsonNode>> matches,
                                      List<String> warnings) {
        List<JsonNode> found = matches.get(field);
        if (found == null) {
            // Not configured: input and output are what pricing needs, so say so; cache counts
            // are simply not a concept of every tool.
            if (field == OutputField.INPUT_TOKENS || field == OutputField.OUTPUT_TOKENS) {
                warnings.add("usage not reported: " + field.yamlName() + " (no path configured)");
            }
            return OptionalLong.empty();
        }
        Optional<BigDecimal> total = sum(field, found, warnings);
        if (total.isEmpty()) {
            boolean onlyNulls = found.stream().allMatch(JsonNode::isNull);
            warnings.add("usage not reported: " + field.yamlName() + " (" + String.join(", ", spec.paths(field))
                    + (onlyNulls ? " matched nothing)" : " matched no number)"));
            return OptionalLong.empty();
        }
        BigDecimal t = total.get();
        if (t.signum() < 0 || (t.scale() > 0 && t.stripTrailingZeros().scale() > 0)) {
            warnings.add("usage not reported: " + field.yamlName() + " (the output says " + t.toPlainString()
                    + ", not a token count)");
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(t.longValueExact());
        } catch (ArithmeticException tooBig) {
            warnings.add("usage not reported: " + field.yamlName() + " (" + t.toPlainString() + " is out of range)");
            return OptionalLong.empty();
        }
    }

    /** Sum of the numeric matches; empty when there is none. */
    private Optional<BigDecimal> sum(OutputField field, List<JsonNode> found, List<String> warnings) {
        BigDecimal total = null;
        for (JsonNode match : found) {
            Optional<BigDecimal> n = number(match);
            if (n.isPresent()) {
                total = total == null ? n.get() : total.add(n.get());
            } else if (!match.isNull()) {
                warnings.add("output." + field.yamlName() + " matched a value that is not a number, ignored: "
                        + quote(match.isTextual() ? match.textValue() : match.toString()));
            }
        }
        return Optional.ofNullable(total);
    }

    private static OptionalInt lastNumber(OutputField field, Map<OutputField, List<JsonNode>> matches,
                                          List<String> warnings) {
        List<JsonNode> found = matches.getOrDefault(field, List.of());
        for (int i = found.size() - 1; i >= 0; i--) {
            Optional<BigDecimal> n = number(found.get(i));
            if (n.isPresent()) {
                try {
                    return OptionalInt.of(n.get().intValueExact());
                } catch (ArithmeticException notAnInt) {
                    warnings.add("output." + field.yamlName() + " is not an integer: " + n.get().toPlainString());
                    return OptionalInt.empty();
                }
            }
        }
        return OptionalInt.empty();
    }

    /** A number, or a string holding one (some tools print counts as strings); empty for anything else. */
    private static Optional<BigDecimal> number(JsonNode match) {
        if (match.isNumber()) {
            return Optional.of(match.decimalValue());
        }
        if (match.isTextual() && !match.textValue().isBlank()) {
            try {
                return Optional.of(new BigDecimal(match.textValue().strip()));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first string match of the first of {@code paths} that matches. */
    private Optional<String> sessionId(JsonNode document, List<String> paths) {
        for (String path : paths) {
            for (JsonNode match : extractor.matches(document, path)) {
                if (match.isTextual() && !match.textValue().isBlank()) {
                    return Optional.of(match.textValue());
                }
            }
        }
        return Optional.empty();
    }

    /** The last match that is not a JSON null, as text: a string as is, a number as printed, an object or array as compact JSON. */
    private static Optional<String> lastText(List<JsonNode> found) {
        if (found == null) {
            return Optional.empty();
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            JsonNode match = found.get(i);
            if (match.isNull()) {
                continue;
            }
            if (match.isTextual()) {
                return Optional.of(match.textValue());
            }
            if (match.isBigDecimal()) {
                return Optional.of(match.decimalValue().toPlainString());
            }
            return Optional.of(match.isValueNode() ? match.asText() : match.toString());
        }
        return Optional.empty();
    }

    /**
     * JSON truthiness of an {@code is_error} match: true, a non-zero number, a non-empty string
     * other than "false", a non-empty object or array. Null, false, zero and empties are not errors.
     */
    static boolean truthy(JsonNode match) {
        if (match.isBoolean()) {
            return match.booleanValue();
        }
        if (match.isTextual()) {
            return !match.textValue().isEmpty() && !match.textValue().equalsIgnoreCase("false");
        }
        if (match.isNumber()) {
            return match.decimalValue().signum() != 0;
        }
        if (match.isContainerNode()) {
            return !match.isEmpty();
        }
        return !match.isNull();
    }

    /** The start of {@code text} (200 characters), masked, in quotes, with a note when cut. */
    String quote(String text) {
        String s = redactor.redact(text);
        String head = s.length() <= QUOTE_CHARS ? s : s.substring(0, QUOTE_CHARS);
        return "\"" + head + "\"" + (s.length() > QUOTE_CHARS ? " (first " + QUOTE_CHARS + " of " + s.length()
                + " characters)" : "");
    }

    /** Jackson's complaint and where it is, masked: it can quote a token ({@code Unrecognized token 'ghp_…'}). */
    private String jsonProblem(IOException problem) {
        if (!(problem instanceof JsonProcessingException e)) {
            return redactor.redact(String.valueOf(problem.getMessage()));
        }
        String msg = redactor.redact(e.getOriginalMessage());
        if (e.getLocation() != null) {
            msg += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return msg;
    }
}
