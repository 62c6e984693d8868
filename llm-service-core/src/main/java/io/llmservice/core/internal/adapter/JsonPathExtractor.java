package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the JSONPaths of an {@code output:} section (Jayway JsonPath on Jackson) against an
 * already parsed document and returns every match as a flat list.
 *
 * <pre>{@code
 * JsonPathExtractor x = new JsonPathExtractor();
 * List<Object> m = x.matches(document, "$.stats.models.*.tokens.prompt");   // [123]
 * }</pre>
 *
 * <p>{@link Option#ALWAYS_RETURN_LIST} is deliberately not used: with it Jayway returns
 * {@code null} for path functions such as {@code keys()}. Instead an indefinite path's result
 * list is taken as its matches and a definite path's value as its one match; a function that
 * yields a non-list collection ({@code keys()} yields a key set) contributes each element.
 *
 * <p>Plain property chains — {@code $.usage.input_tokens}, optionally ending in {@code .keys()},
 * names of letters, digits and underscores — are the paths the built-in tools use; they are
 * looked up directly in the parsed maps, which gives the same matches as Jayway (a differential
 * test holds the two together) at a fraction of the cost. Every other path goes through Jayway.
 *
 * <p>Thread-safe; compiled paths are cached per instance.
 */
final class JsonPathExtractor {

    /** A plain property chain: {@code $.a.b.c}, optionally followed by {@code .keys()}. */
    private static final Pattern PROPERTY_CHAIN = Pattern.compile("\\$((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)(\\.keys\\(\\))?");

    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    /**
     * Jayway's configuration, made when a path first needs Jayway: its Jackson provider starts
     * jackson-databind, which a command-line call whose tools use plain property chains never
     * needs. Jayway only walks the maps and lists {@link JsonTree} made; the mapper is for the
     * provider's own conversions.
     */
    private static final class Jayway {
        static final Configuration CONFIGURATION;

        static {
            ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
            CONFIGURATION = Configuration.builder()
                    .jsonProvider(new JacksonJsonProvider(mapper))
                    .mappingProvider(new JacksonMappingProvider(mapper))
                    .options(Option.SUPPRESS_EXCEPTIONS)
                    .build();
        }
    }

    /**
     * All matches of {@code path} in {@code document} (a tree of maps, lists and scalars as
     * {@link JsonTree} reads them), JSON nulls included; empty when nothing matches.
     *
     * @throws IllegalArgumentException when {@code path} is not a valid JSONPath
     */
    List<Object> matches(Object document, String path) {
        Objects.requireNonNull(path, "path");
        if (document == null) {
            return List.of();
        }
        Compiled c = compile(path);
        if (c.chain != null && document instanceof Map<?, ?> root) {
            return chainMatches(root, c.chain, c.keys);
        }
        return jaywayMatches(document, c.jsonPath);
    }

    /** The matches as Jayway finds them, bypassing the property-chain lookup; for the differential test. */
    List<Object> jaywayMatches(Object document, String path) {
        Objects.requireNonNull(path, "path");
        return document == null ? List.of() : jaywayMatches(document, compile(path).jsonPath);
    }

    private List<Object> jaywayMatches(Object document, JsonPath jsonPath) {
        Object result = jsonPath.read(document, Jayway.CONFIGURATION);
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

    /**
     * Walks {@code names} down nested maps. As with Jayway on a definite path: a missing
     * property, a non-object on the way or a JSON null is no match; {@code keys()} of an object
     * is each of its keys in document order, of anything else no match.
     */
    private static List<Object> chainMatches(Map<?, ?> root, String[] names, boolean keys) {
        Object current = root;
        for (String name : names) {
            if (!(current instanceof Map<?, ?> map)) {
                return List.of();
            }
            current = map.get(name);
        }
        if (current == null) {
            return List.of();
        }
        if (keys) {
            return current instanceof Map<?, ?> map ? new ArrayList<>(map.keySet()) : List.of();
        }
        List<Object> out = new ArrayList<>(1);
        addMatch(out, current);
        return out;
    }

    /** Checks a path's syntax; the config loader may call this to report bad paths early. */
    static void validate(String path) {
        compileUncached(path);
    }

    private Compiled compile(String path) {
        Compiled c = compiled.get(path);
        if (c == null) {
            c = compiled.computeIfAbsent(path, Compiled::of);
        }
        return c;
    }

    private static JsonPath compileUncached(String path) {
        try {
            return JsonPath.compile(path);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid JSONPath '" + path + "': " + e.getMessage(), e);
        }
    }

    /** A compiled path: always Jayway's form; for a plain property chain also its names. */
    private static final class Compiled {
        final JsonPath jsonPath;
        final String[] chain;
        final boolean keys;

        private Compiled(JsonPath jsonPath, String[] chain, boolean keys) {
            this.jsonPath = jsonPath;
            this.chain = chain;
            this.keys = keys;
        }

        static Compiled of(String path) {
            JsonPath jsonPath = compileUncached(path);
            Matcher m = PROPERTY_CHAIN.matcher(path);
            if (!m.matches()) {
                return new Compiled(jsonPath, null, false);
            }
            return new Compiled(jsonPath, m.group(1).substring(1).split("\\."), m.group(2) != null);
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
