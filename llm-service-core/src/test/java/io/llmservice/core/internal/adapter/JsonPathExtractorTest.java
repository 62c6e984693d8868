package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each kind of path matches in a Jackson tree, as JSON text per match (types and scales included). */
class JsonPathExtractorTest {

    private final JsonPathExtractor extractor = new JsonPathExtractor(OutputParser.JSON);

    private static JsonNode read(String json) throws Exception {
        return OutputParser.JSON.readTree(json);
    }

    private List<String> matches(JsonNode document, String path) {
        return extractor.matches(document, path).stream().map(JsonNode::toString).toList();
    }

    @Test
    void definitePaths_matchTheValue_orNothingWhenMissingNullOrStoppedByANonObject() throws Exception {
        JsonNode document = read("""
                {"nul": null, "list": [1, {"a": 2}], "num": 1.50, "int": 7, "str": "x", "yes": true,
                 "empty": {}, "obj": {"nul": null, "deep": {"n": 12345678901234567890, "f": false}},
                 "keys": {"z": 1, "a": 2}}
                """);
        assertThat(matches(document, "$.num")).containsExactly("1.50");
        assertThat(extractor.matches(document, "$.num").get(0).decimalValue()).isEqualTo(new BigDecimal("1.50"));
        assertThat(matches(document, "$.int")).containsExactly("7");
        assertThat(matches(document, "$.str")).containsExactly("\"x\"");
        assertThat(matches(document, "$.yes")).containsExactly("true");
        assertThat(matches(document, "$.obj.deep.f")).containsExactly("false");
        assertThat(matches(document, "$.obj.deep.n")).containsExactly("12345678901234567890");
        assertThat(matches(document, "$.list")).containsExactly("[1,{\"a\":2}]");
        assertThat(matches(document, "$.empty")).containsExactly("{}");
        assertThat(matches(document, "$.keys")).containsExactly("{\"z\":1,\"a\":2}");
        for (String nothing : List.of("$.nul", "$.nul.a", "$.list.a", "$.num.a", "$.str.a", "$.empty.a", "$.obj.nul",
                "$.obj.nul.x", "$.absent", "$.absent.deeper", "$.str.length")) {
            assertThat(matches(document, nothing)).as(nothing).isEmpty();
        }
    }

    @Test
    void keys_isEachNameInDocumentOrder_ofAnObjectOnly() throws Exception {
        JsonNode document = read("""
                {"nul": null, "list": [1], "num": 1, "empty": {}, "obj": {"nul": null, "deep": {}},
                 "keys": {"z": 1, "a": 2}}
                """);
        assertThat(matches(document, "$.keys.keys()")).containsExactly("\"z\"", "\"a\"");
        assertThat(matches(document, "$.obj.keys()")).containsExactly("\"nul\"", "\"deep\"");
        for (String nothing : List.of("$.nul.keys()", "$.list.keys()", "$.num.keys()", "$.empty.keys()",
                "$.absent.keys()")) {
            assertThat(matches(document, nothing)).as(nothing).isEmpty();
        }
    }

    @Test
    void indefinitePaths_matchEachValue_nullsIncluded_decimalsExact() throws Exception {
        JsonNode events = read("[{\"type\":\"a\",\"n\":1,\"c\":1.50},{\"type\":\"b\",\"n\":2,\"c\":null}]");
        assertThat(matches(events, "$[*].n")).containsExactly("1", "2");
        assertThat(matches(events, "$[?(@.type=='b')].n")).containsExactly("2");
        assertThat(matches(events, "$[*].c")).containsExactly("1.50", "null");
        assertThat(matches(events, "$[*].missing")).isEmpty();
        assertThat(matches(events, "$.n")).as("a property of a root array").isEmpty();
        JsonNode doc = read("{\"a\":{\"x\":{\"t\":1},\"y\":{\"t\":[2,3]}}}");
        assertThat(matches(doc, "$.a.*.t")).containsExactly("1", "[2,3]");
        assertThat(matches(doc, "$..t")).containsExactly("1", "[2,3]");
        assertThat(matches(doc, "$['a']['x'].t")).containsExactly("1");
    }

    @Test
    void builtInPaths_onRealCliOutputs() throws Exception {
        JsonNode claude = read(fixture("claude-2.1.197-success.json"));
        assertThat(matches(claude, "$.usage.input_tokens")).containsExactly("123");
        assertThat(matches(claude, "$.total_cost_usd")).containsExactly("0.001044");
        assertThat(matches(claude, "$.modelUsage.keys()")).containsExactly("\"claude-sonnet-5\"");
        assertThat(matches(claude, "$.api_error_status")).isEmpty();
        JsonNode gemini = read(fixture("gemini-cli-0.61.0-success.json"));
        assertThat(matches(gemini, "$.stats.models.keys()")).containsExactly("\"stub-model\"");
        assertThat(matches(gemini, "$.stats.models.*.tokens.prompt")).containsExactly("123");
    }

    @Test
    void invalidPath_isRejectedWithItsText() throws Exception {
        JsonNode empty = read("{}");
        assertThatThrownBy(() -> extractor.matches(empty, "$.usage[?(@.kind == 'in')"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSONPath '$.usage[?(@.kind == 'in')'");
    }
}
