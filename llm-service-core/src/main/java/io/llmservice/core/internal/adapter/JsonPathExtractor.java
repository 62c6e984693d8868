package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the JSONPaths of an {@code output:} section (Jayway JsonPath on Jackson) against an
 * already parsed document and returns every match as a flat list.
 *
 * <pre>{@code
 * JsonPathExtractor x = new JsonPathExtractor(mapper);
 * List<Object> m = x.matches(document, "$.stats.models.*.tokens.prompt");   // [123]
 * }</pre>
 *
 * <p>{@link Option#ALWAYS_RETURN_LIST} is deliberately not used: with it Jayway returns
 * {@code null} for path functions such as {@code keys()}. Instead an indefinite path's result
 * list is taken as its matches and a definite path's value as its one match; a function that
 * yields a non-list collection ({@code keys()} yields a key set) contributes each element.
 *
 * <p>Thread-safe; compiled paths are cached per instance.
 */
final class JsonPathExtractor {

    private final Configuration configuration;
    private final Map<String, JsonPath> compiled = new ConcurrentHashMap<>();

    JsonPathExtractor(ObjectMapper mapper) {
        this.configuration = Configuration.builder()
                .jsonProvider(new JacksonJsonProvider(mapper))
                .mappingProvider(new JacksonMappingProvider(mapper))
                .options(Option.SUPPRESS_EXCEPTIONS)
                .build();
    }

    /**
     * All matches of {@code path} in {@code document} (a tree of Jackson-parsed maps, lists and
     * scalars), JSON nulls included; empty when nothing matches.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid JSONPath
     */
    List<Object> matches(Object document, String path) {
        Objects.requireNonNull(path, "path");
        if (document == null) {
            return List.of();
        }
        JsonPath jsonPath = compile(path);
        Object result = jsonPath.read(document, configuration);
        if (result == null) {
            // Missing definite path (suppressed exception) or a JSON null: both are "no value".
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        if (!jsonPath.isDefinite() && result instanceof List<?> list) {
            for (Object match : list) {
                addMatch(out, match);
            }
        } else {
            addMatch(out, result);
        }
        return out;
    }

    /** Checks a path's syntax; the config loader may call this to report bad paths early. */
    static void validate(String path) {
        compileUncached(path);
    }

    private JsonPath compile(String path) {
        return compiled.computeIfAbsent(path, JsonPathExtractor::compileUncached);
    }

    private static JsonPath compileUncached(String path) {
        try {
            return JsonPath.compile(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid JSONPath '" + path + "': " + e.getMessage(), e);
        }
    }

    private static void addMatch(List<Object> out, Object match) {
        if (match instanceof Collection<?> c && !(match instanceof List<?>)) {
            out.addAll(c);
        } else {
            out.add(match);
        }
    }
}
