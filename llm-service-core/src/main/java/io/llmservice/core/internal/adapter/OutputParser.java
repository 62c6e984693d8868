package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.llmservice.ToolOutputException;
import io.llmservice.Usage;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Reads a tool's standard output as its {@code output:} section declares: one JSON document,
 * JSON lines (the document is the array of the lines' values) or plain text.
 *
 * <pre>{@code
 * ParsedOutput p = new OutputParser().parse("claude-code", tool.output(), stdout);
 * p.text();          // Optional[STUB-OK]
 * p.usage();         // Usage{input=123, output=45, cacheRead=0, cacheWrite=0}
 * }</pre>
 *
 * <p>Rules: a numeric field is the sum over all matches of all its paths; text, error message
 * and model take the last match; a field whose paths match nothing is unknown (never zero) and
 * is named in a warning. Floating-point numbers are read as {@link BigDecimal} from the JSON
 * text, so a reported cost is exact.
 *
 * <p>Immutable and thread-safe; one instance may serve every tool.
 */
public final class OutputParser {

    /** How much of a bad output an error message quotes. */
    static final int QUOTE_CHARS = 200;

    private static final List<OutputField> USAGE_FIELDS = List.of(OutputField.INPUT_TOKENS,
            OutputField.OUTPUT_TOKENS, OutputField.CACHE_READ_TOKENS, OutputField.CACHE_WRITE_TOKENS);

    private final JsonPathExtractor extractor = new JsonPathExtractor();

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
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(stdout, "stdout");
        if (spec.format() == OutputFormat.JSON && !blank(stdout)) {
            // Straight from the bytes: Jackson's UTF-8 parser, no String in between.
            Object document;
            try {
                document = JsonTree.read(stdout);
            } catch (JsonProcessingException e) {
                return parse(tool, spec, new String(stdout, StandardCharsets.UTF_8)); // reports the error
            }
            return extract(Objects.requireNonNull(tool, "tool"), spec, document);
        }
        return parse(tool, spec, new String(stdout, StandardCharsets.UTF_8));
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
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(stdout, "stdout");
        if (spec.format() == OutputFormat.TEXT) {
            return new ParsedOutput(Optional.of(stdout), Usage.unknown(), Optional.empty(), false,
                    OptionalInt.empty(), Optional.empty(), Optional.empty(),
                    List.of("usage not reported: output format is text"));
        }
        Object document = spec.format() == OutputFormat.JSONL ? readJsonLines(tool, stdout) : readJson(tool, stdout);
        return extract(tool, spec, document);
    }

    private Object readJson(String tool, String stdout) {
        if (stdout.isBlank()) {
            throw new ToolOutputException(tool, "printed no output where JSON was declared (output.format: json)", null);
        }
        try {
            return JsonTree.read(stdout);
        } catch (JsonProcessingException e) {
            throw new ToolOutputException(tool, "output is not valid JSON (output.format: json): "
                    + jsonProblem(e) + "; output starts with: " + quote(stdout), e);
        }
    }

    private List<Object> readJsonLines(String tool, String stdout) {
        List<Object> events = new ArrayList<>();
        String[] lines = stdout.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                events.add(JsonTree.read(line));
            } catch (JsonProcessingException e) {
                throw new ToolOutputException(tool, "output line " + (i + 1) + " is not valid JSON (output.format: jsonl): "
                        + jsonProblem(e) + "; the line starts with: " + quote(line), e);
            }
        }
        if (events.isEmpty()) {
            throw new ToolOutputException(tool, "printed no JSON lines where JSON lines were declared (output.format: jsonl)",
                    null);
        }
        return events;
    }

    private ParsedOutput extract(String tool, OutputSpec spec, Object document) {
        List<String> warnings = new ArrayList<>();
        Map<OutputField, List<Object>> matches = new java.util.EnumMap<>(OutputField.class);
        for (Map.Entry<OutputField, List<String>> e : spec.paths().entrySet()) {
            List<String> paths = e.getValue();
            List<Object> all;
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

        OptionalLong input = count(OutputField.INPUT_TOKENS, spec, matches, warnings);
        OptionalLong output = count(OutputField.OUTPUT_TOKENS, spec, matches, warnings);
        OptionalLong cacheRead = count(OutputField.CACHE_READ_TOKENS, spec, matches, warnings);
        OptionalLong cacheWrite = count(OutputField.CACHE_WRITE_TOKENS, spec, matches, warnings);
        if (spec.inputIncludesCacheRead() && input.isPresent() && cacheRead.isPresent()) {
            // The tool's input count already holds the cached tokens; price each token once.
            input = OptionalLong.of(Math.max(0, input.getAsLong() - cacheRead.getAsLong()));
        }
        Usage usage = Usage.of(input, output, cacheRead, cacheWrite);

        Optional<BigDecimal> cost = sum(OutputField.COST_USD, matches.getOrDefault(OutputField.COST_USD, List.of()), warnings);
        boolean reportedError = false;
        for (Object match : matches.getOrDefault(OutputField.IS_ERROR, List.of())) {
            reportedError |= truthy(match);
        }
        OptionalInt errorStatus = lastNumber(OutputField.ERROR_STATUS, matches, warnings);
        return new ParsedOutput(lastText(matches.get(OutputField.TEXT)), usage, cost, reportedError, errorStatus,
                lastText(matches.get(OutputField.ERROR_MESSAGE)), lastText(matches.get(OutputField.MODEL)), warnings);
    }

    private static OptionalLong count(OutputField field, OutputSpec spec, Map<OutputField, List<Object>> matches,
                                      List<String> warnings) {
        List<Object> found = matches.get(field);
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
            boolean onlyNulls = found.stream().allMatch(java.util.Objects::isNull);
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
    private static Optional<BigDecimal> sum(OutputField field, List<Object> found, List<String> warnings) {
        BigDecimal total = null;
        for (Object match : found) {
            Optional<BigDecimal> n = number(match);
            if (n.isPresent()) {
                total = total == null ? n.get() : total.add(n.get());
            } else if (match != null) {
                warnings.add("output." + field.yamlName() + " matched a value that is not a number, ignored: "
                        + quote(String.valueOf(match)));
            }
        }
        return Optional.ofNullable(total);
    }

    private static OptionalInt lastNumber(OutputField field, Map<OutputField, List<Object>> matches,
                                          List<String> warnings) {
        List<Object> found = matches.getOrDefault(field, List.of());
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

    private static Optional<BigDecimal> number(Object match) {
        if (match instanceof BigDecimal d) {
            return Optional.of(d);
        }
        if (match instanceof Integer || match instanceof Long || match instanceof Short || match instanceof Byte) {
            return Optional.of(BigDecimal.valueOf(((Number) match).longValue()));
        }
        if (match instanceof java.math.BigInteger b) {
            return Optional.of(new BigDecimal(b));
        }
        if (match instanceof Number n) {
            // Only reached for a provider that hands out doubles; its shortest text is the JSON text.
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (match instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(new BigDecimal(s.strip()));
            } catch (NumberFormatException notANumber) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Optional<String> lastText(List<Object> found) {
        if (found == null) {
            return Optional.empty();
        }
        for (int i = found.size() - 1; i >= 0; i--) {
            Object match = found.get(i);
            if (match instanceof Collection<?> c && !(match instanceof List<?>)) {
                // keys() of a map; take its last key
                List<?> keys = List.copyOf(c);
                if (keys.isEmpty()) {
                    continue;
                }
                match = keys.get(keys.size() - 1);
            }
            if (match == null) {
                continue;
            }
            if (match instanceof String s) {
                return Optional.of(s);
            }
            if (match instanceof BigDecimal d) {
                return Optional.of(d.toPlainString());
            }
            if (match instanceof Map<?, ?> || match instanceof List<?>) {
                return Optional.of(JsonTree.write(match));
            }
            return Optional.of(String.valueOf(match));
        }
        return Optional.empty();
    }

    /**
     * JSON truthiness of an {@code is_error} match: true, a non-zero number, a non-empty string
     * other than "false", a non-empty object or array. Null, false, zero and empties are not errors.
     */
    static boolean truthy(Object match) {
        if (match == null) {
            return false;
        }
        if (match instanceof Boolean b) {
            return b;
        }
        if (match instanceof String s) {
            return !s.isEmpty() && !s.equalsIgnoreCase("false");
        }
        if (match instanceof Number) {
            return number(match).map(d -> d.signum() != 0).orElse(false);
        }
        if (match instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (match instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        return true;
    }

    /** The first 200 characters, quoted, with a note when cut. */
    static String quote(String s) {
        String head = s.length() <= QUOTE_CHARS ? s : s.substring(0, QUOTE_CHARS);
        return "\"" + head + "\"" + (s.length() > QUOTE_CHARS ? " (first " + QUOTE_CHARS + " of " + s.length()
                + " characters)" : "");
    }

    private static String jsonProblem(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (e.getLocation() != null) {
            msg += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return msg;
    }
}
