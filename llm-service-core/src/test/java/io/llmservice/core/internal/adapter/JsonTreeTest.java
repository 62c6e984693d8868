package io.llmservice.core.internal.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JsonTree} must read exactly what databind's {@code readValue(json, Object.class)} reads. */
class JsonTreeTest {

    private final ObjectMapper databind = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Test
    void read_realCliOutputs_isWhatDatabindReads_toTheTypes() throws Exception {
        List<String> documents = new ArrayList<>();
        for (String name : List.of("claude-2.1.197-success.json", "claude-2.1.197-error-401.json",
                "claude-2.1.197-error-429.json", "claude-2.1.332-success.json", "gemini-cli-0.61.0-success.json",
                "gemini-cli-0.61.0-cached-success.json")) {
            documents.add(fixture(name));
        }
        for (String name : List.of("codex-0.169.0-success.jsonl", "codex-0.171.0-success.jsonl")) {
            for (String line : fixture(name).split("\n")) {
                if (!line.isBlank()) {
                    documents.add(line);
                }
            }
        }
        for (String json : documents) {
            Object expected = databind.readValue(json, Object.class);
            assertSameTree(JsonTree.read(json), expected);
            assertSameTree(JsonTree.read(json.getBytes(StandardCharsets.UTF_8)), expected);
        }
    }

    @Test
    void read_everyKindOfValue_isWhatDatabindReads_toTheTypes() throws Exception {
        String json = """
                {"int": 7, "negative": -3, "long": 12345678901, "big": 123456789012345678901234567890,
                 "float": 1.50, "exp": 1e3, "negExp": -2.5E-3, "zero": 0, "true": true, "false": false,
                 "null": null, "text": "a\\u00e9\\n\\"q\\" \\ud83d\\ude00", "empty": {}, "none": [],
                 "nested": [1, [2, [3, {"deep": [null, 1.0]}]]], "dup": 1, "dup": 2, "ключ": "значение"}
                """;
        Object tree = JsonTree.read(json);
        assertSameTree(tree, databind.readValue(json, Object.class));
        Map<?, ?> map = (Map<?, ?>) tree;
        assertThat(map.get("int")).isEqualTo(7);
        assertThat(map.get("long")).isEqualTo(12345678901L);
        assertThat(map.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(map.get("float")).isEqualTo(new BigDecimal("1.50"));
        assertThat(map.get("dup")).isEqualTo(2);
        assertThat(new ArrayList<Object>(map.keySet())).startsWith("int", "negative", "long");
        for (String scalar : List.of("7", "\"x\"", "true", "null", "2.50", "[]")) {
            assertSameTree(JsonTree.read(scalar), databind.readValue(scalar, Object.class));
        }
    }

    @Test
    void read_notOneJsonValue_failsLikeDatabind() {
        for (String bad : List.of("{\"a\": 1} trailing", "{\"a\": 1}{\"b\": 2}", "[1, 2", "{\"a\" 1}", "", "   ",
                "not json", "{\"a\": tru}", "[1,]")) {
            assertThatThrownBy(() -> JsonTree.read(bad)).as(bad).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> databind.readValue(bad, Object.class)).as(bad)
                    .isInstanceOf(JsonProcessingException.class);
        }
        assertThatThrownBy(() -> JsonTree.read("{\"a\": 1} x")).hasMessageContaining("line: 1, column: 11");
    }

    @Test
    void read_bytesThatCannotBeDecoded_isAParseError_notAnIoError() {
        // Jackson takes a leading zero byte for UTF-32/UCS-4 and fails to decode with a CharConversionException.
        for (byte[] bad : List.of(new byte[] {0, 0, 0x7B, 0}, new byte[] {0, 0, 0, 0x7B, 0, 0, 0, (byte) 0xFF})) {
            assertThatThrownBy(() -> JsonTree.read(bad)).isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void read_nestedPastTheStreamLimit_failsInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThatThrownBy(() -> JsonTree.read(deep)).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("nesting depth");
    }

    @Test
    void write_isWhatDatabindWrites() throws Exception {
        String json = "{\"a\":[1,2.50,\"x\\\"y\",null,true,{\"b\":12345678901234567890}],\"c\":{},\"d\":-1E+3}";
        Object tree = JsonTree.read(json);
        assertThat(JsonTree.write(tree)).isEqualTo(databind.writeValueAsString(tree));
        assertSameTree(JsonTree.read(JsonTree.write(tree)), tree);
    }

    /** Equal, and every value of the same class (an Integer is not a Long, a BigDecimal keeps its scale). */
    private static void assertSameTree(Object actual, Object expected) {
        assertThat(actual).isEqualTo(expected);
        if (expected == null) {
            return;
        }
        assertThat(actual).hasSameClassAs(expected);
        if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertThat(new ArrayList<>(a.keySet())).isEqualTo(new ArrayList<>(e.keySet()));
            for (Object key : e.keySet()) {
                assertSameTree(a.get(key), e.get(key));
            }
        } else if (expected instanceof List<?> e) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < e.size(); i++) {
                assertSameTree(a.get(i), e.get(i));
            }
        }
    }
}
