package io.llmservice.core.internal.adapter;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The direct lookup of plain property chains must find exactly what Jayway finds: every chain
 * that exists in the real CLI outputs (and ones that do not), with and without {@code keys()},
 * against documents whose shapes stop a chain in every possible way.
 */
class JsonPathExtractorTest {

    private final JsonPathExtractor extractor = new JsonPathExtractor();

    @Test
    void propertyChains_onRealCliOutputs_matchExactlyWhatJaywayMatches() throws Exception {
        List<Object> documents = new ArrayList<>();
        for (String name : List.of("claude-2.1.197-success.json", "claude-2.1.197-error-401.json",
                "claude-2.1.197-error-429.json", "claude-2.1.332-success.json", "gemini-cli-0.61.0-success.json",
                "gemini-cli-0.61.0-cached-success.json")) {
            documents.add(JsonTree.read(fixture(name)));
        }
        for (String name : List.of("codex-0.169.0-success.jsonl", "codex-0.171.0-success.jsonl")) {
            for (String line : fixture(name).split("\n")) {
                if (!line.isBlank()) {
                    documents.add(JsonTree.read(line));
                }
            }
        }
        int compared = 0;
        for (Object document : documents) {
            Set<String> paths = new LinkedHashSet<>();
            collectChains(document, "$", 0, paths);
            paths.addAll(List.of("$.missing", "$.missing.deeper", "$.result.length", "$.usage.missing.keys()",
                    "$.keys", "$.keys()"));
            for (String path : paths) {
                assertThat(extractor.matches(document, path)).as(path).isEqualTo(extractor.jaywayMatches(document, path));
                compared++;
            }
        }
        assertThat(compared).as("chains compared").isGreaterThan(200);
    }

    @Test
    void propertyChains_stoppedByNullListScalarOrMissing_matchExactlyWhatJaywayMatches() throws Exception {
        Object document = JsonTree.read("""
                {"nul": null, "list": [1, {"a": 2}], "num": 1.50, "int": 7, "str": "x", "yes": true,
                 "empty": {}, "obj": {"nul": null, "deep": {"n": 12345678901234567890, "f": false}},
                 "keys": {"z": 1, "a": 2}}
                """);
        List<String> paths = List.of("$.nul", "$.nul.a", "$.nul.keys()", "$.list", "$.list.a", "$.list.keys()",
                "$.num", "$.num.a", "$.num.keys()", "$.int", "$.str", "$.str.a", "$.yes", "$.yes.keys()",
                "$.empty", "$.empty.keys()", "$.empty.a", "$.obj", "$.obj.keys()", "$.obj.nul", "$.obj.nul.x",
                "$.obj.deep.n", "$.obj.deep.f", "$.obj.deep.keys()", "$.keys", "$.keys.keys()", "$.keys.z",
                "$.absent", "$.absent.keys()");
        for (String path : paths) {
            assertThat(extractor.matches(document, path)).as(path).isEqualTo(extractor.jaywayMatches(document, path));
        }
        assertThat(extractor.matches(document, "$.keys.keys()")).as("document order").containsExactly("z", "a");
        assertThat(extractor.matches(document, "$.num")).containsExactly(new BigDecimal("1.50"));
    }

    @Test
    void otherPaths_goThroughJayway_andRootListsToo() throws Exception {
        Object events = JsonTree.read("[{\"type\":\"a\",\"n\":1},{\"type\":\"b\",\"n\":2}]");
        assertThat(extractor.matches(events, "$[*].n")).containsExactly(1, 2);
        assertThat(extractor.matches(events, "$[?(@.type=='b')].n")).containsExactly(2);
        assertThat(extractor.matches(events, "$.n")).isEqualTo(extractor.jaywayMatches(events, "$.n"));
        Object doc = JsonTree.read("{\"a\":{\"x\":{\"t\":1},\"y\":{\"t\":2}}}");
        assertThat(extractor.matches(doc, "$.a.*.t")).containsExactly(1, 2);
        assertThat(extractor.matches(doc, "$['a']['x'].t")).containsExactly(1);
    }

    @Test
    void invalidPath_isRejectedWithItsText() {
        assertThatThrownBy(() -> extractor.matches(Map.of(), "$.usage[?(@.kind == 'in')")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSONPath '$.usage[?(@.kind == 'in')'");
    }

    /** Every plain property chain of the document up to depth 4, each also with keys(). */
    private static void collectChains(Object node, String path, int depth, Set<String> out) {
        if (!(node instanceof Map<?, ?> map) || depth == 4) {
            return;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = e.getKey().toString();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            String child = path + "." + name;
            out.add(child);
            out.add(child + ".keys()");
            out.add(child + ".missing");
            collectChains(e.getValue(), child, depth + 1, out);
        }
    }
}
