package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the JSONPaths of an {@code output:} section (Jayway JsonPath on Jackson's
 * {@link JsonNode} tree) against an already parsed document and returns every match as a flat
 * list of nodes.
 *
 * <pre>{@code
 * JsonPathExtractor x = new JsonPathExtractor(mapper);
 * List<JsonNode> m = x.matches(document, "$.stats.models.*.tokens.prompt");   // [IntNode 123]
 * }</pre>
 *
 * <p>{@link Option#ALWAYS_RETURN_LIST} is deliberately not used: with it Jayway returns
 * {@code null} for path functions such as {@code keys()}. Instead an indefinite path's result
 * array is taken as its matches and a definite path's value as its one match; a missing
 * definite path and a JSON null are no match. {@code keys()} (Jayway hands the names over as
 * one array) contributes each name.
 *
 * <p>Thread-safe; compiled paths are cached per instance.
 */
final class JsonPathExtractor {
    private final ObjectMapper mapper;
    private final Configuration configuration;
    private final Map<String, JsonPath> compiled = new ConcurrentHashMap<>();

    /** @param mapper the mapper that read the documents; Jayway uses it to turn its own values into nodes */
    JsonPathExtractor(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.configuration = Configuration.builder()
                .jsonProvider(new JacksonJsonNodeJsonProvider(mapper))
                .mappingProvider(new JacksonMappingProvider(mapper))
                .options(Option.SUPPRESS_EXCEPTIONS)
                .build();
    }

    /**
     * All matches of {@code path} in {@code document}, JSON nulls of an indefinite path included
     * (as {@code NullNode}); empty when nothing matches.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid JSONPath
     */
    List<JsonNode> matches(JsonNode document, String path) {
        Objects.requireNonNull(document, "document");
        JsonPath jsonPath = compiled.computeIfAbsent(Objects.requireNonNull(path, "path"), JsonPathExtractor::compile);
        // Jayway hands out containers as nodes and scalars as Java values.
        Object raw = jsonPath.read(document, configuration);
        JsonNode result = raw instanceof JsonNode node ? node : mapper.valueToTree(raw);
        if (result == null || result.isNull()) {
            return List.of();
        }
        boolean eachElement = !jsonPath.isDefinite() || path.strip().endsWith(".keys()");
        if (eachElement && result.isArray()) {
            List<JsonNode> out = new ArrayList<>(result.size());
            result.forEach(out::add);
            return out;
        }
        return List.of(result);
    }

    private static JsonPath compile(String path) {
        try {
            return JsonPath.compile(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid JSONPath '" + path + "': " + e.getMessage(), e);
        }
    }
}
