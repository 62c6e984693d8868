package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ModelUsage;
import io.llmservice.ToolOutputException;
import io.llmservice.Usage;
import io.llmservice.config.ModelUsageSpec;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static io.llmservice.core.internal.adapter.BuiltinTools.output;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class OutputParserTest {

    private final OutputParser parser = new OutputParser();

    @Test
    void parse_claudeSuccess_readsTextUsageExactCostAndRealModel() {
        ParsedOutput p = parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.197-success.json"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage()).isEqualTo(Usage.of(123, 45, 0, 0));
        assertThat(p.costUsd()).contains(new BigDecimal("0.001044"));
        assertThat(p.costUsd().orElseThrow().scale()).isEqualTo(6);
        assertThat(p.modelUsage()).extracting(ModelUsage::model).containsExactly("claude-sonnet-5");
        assertThat(p.reportedError()).isFalse();
        assertThat(p.errorStatus()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void parse_claude2_1_332Success_readsTextUsageWithCacheExactCostAndModel() {
        ParsedOutput p = parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.332-success.json"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage()).isEqualTo(Usage.of(123, 45, 10, 20));
        // 123 x 3 + 45 x 15 + 10 x 0.30 + 20 x 3.75 micro-dollars, as claude computed it
        assertThat(p.costUsd()).contains(new BigDecimal("0.001122"));
        assertThat(p.modelUsage()).extracting(ModelUsage::model).containsExactly("claude-sonnet-4-5");
        assertThat(p.reportedError()).isFalse();
        assertThat(p.errorStatus()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void parse_claude2_1_332WithHaikuSubAgent_totalsAreTheSumsOfModelUsage_eachModelBookedApart() {
        // Captured from claude 2.1.332 against a stub that made the sonnet main thread start a
        // haiku sub-agent (ANTHROPIC_DEFAULT_HAIKU_MODEL=claude-haiku-4-5-20251001): main 100 + 300
        // input and 10 + 20 output tokens in two queries, the sub-agent 200 and 20.
        ParsedOutput p = parser.parse("claude-code", output("claude-code"),
                fixture("claude-2.1.332-subagent-success.json"));

        assertThat(p.text()).contains("STUB-OK");
        // $.usage says 400/30: the main thread only; modelUsage holds the sub-agent too
        assertThat(p.usage()).isEqualTo(Usage.of(600, 50, 0, 0));
        assertThat(p.modelUsage()).extracting(ModelUsage::model, ModelUsage::usage).containsExactly(
                tuple("claude-sonnet-4-5", Usage.of(400, 30, 0, 0)),
                tuple("claude-haiku-4-5-20251001", Usage.of(200, 20, 0, 0)));
        assertThat(p.modelUsage().get(0).costUsd()).contains(new BigDecimal("0.0016500000000000002"));
        assertThat(p.modelUsage().get(1).costUsd()).contains(new BigDecimal("0.00030000000000000003"));
        // claude's own total, which is the models' sum rounded once
        assertThat(p.costUsd()).contains(new BigDecimal("0.0019500000000000001"));
        assertThat(p.model()).as("no 'last key of modelUsage' any more").isEmpty();
        assertThat(p.warnings()).isEmpty();

        ReportedModelIds ids = new ReportedModelIds(BuiltinTools.tool("claude-code").models());
        assertThat(ids.catalogueIds(p.modelUsage(), "claude-sonnet-4-5")).extracting(ModelUsage::model)
                .containsExactly("claude-sonnet-4-5", "claude-haiku-4-5");
        assertThat(ids.servedRequest("claude-sonnet-4-5", p.modelUsage())).map(ModelUsage::model)
                .as("the model that served the request, not the sub-agent's").contains("claude-sonnet-4-5");
    }

    @Test
    void parse_claudeErrorWithEmptyModelUsage_fallsBackToTheFlatUsage() {
        ParsedOutput p = parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.197-error-401.json"));

        assertThat(p.modelUsage()).isEmpty();
        assertThat(p.usage()).isEqualTo(Usage.of(0, 0, 0, 0));
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void parse_modelUsage_entryWithoutANumber_isUnknownForThatModel_andNamedInAWarning() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.r")), false,
                java.util.Optional.of(new ModelUsageSpec("$.m", Map.of(OutputField.INPUT_TOKENS, "$.in",
                        OutputField.OUTPUT_TOKENS, "$.out"))));

        ParsedOutput p = parser.parse("t", spec, "{\"r\":\"ok\",\"m\":{\"a\":{\"in\":5,\"out\":1},\"b\":{\"out\":2}}}");

        assertThat(p.modelUsage()).extracting(ModelUsage::model).containsExactly("a", "b");
        assertThat(p.modelUsage().get(1).usage().inputTokens()).isEmpty();
        assertThat(p.usage().inputTokens()).as("not undercounted as 5").isEmpty();
        assertThat(p.usage().outputTokens()).hasValue(3);
        assertThat(p.warnings()).contains("usage not reported: model_usage.input_tokens of b (matched no number)");
    }

    @Test
    void parse_modelUsage_entryWithoutAModelId_orNotAnObject_isSkippedWithAWarning() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.r")), false,
                java.util.Optional.of(new ModelUsageSpec("$.m[*]", Map.of(OutputField.INPUT_TOKENS, "$.in"))));

        ParsedOutput p = parser.parse("t", spec, "{\"r\":\"ok\",\"m\":[{\"\":{\"in\":5},\"a\":{\"in\":1}},7]}");

        assertThat(p.modelUsage()).extracting(ModelUsage::model).containsExactly("a");
        assertThat(p.usage().inputTokens()).hasValue(1);
        assertThat(p.warnings()).contains("output.model_usage.path: an entry without a model id, ignored",
                "output.model_usage.path matched a value that is not an object keyed by model, ignored: \"7\"");
    }

    @Test
    void parse_codex0_171_0Success_splitsCachedInput_errorItemIsNoFailure() {
        ParsedOutput p = parser.parse("codex", output("codex"), fixture("codex-0.171.0-success.jsonl"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage()).as("input_tokens include the cached ones").isEqualTo(Usage.of(100, 45, 23, 0));
        assertThat(p.reportedError()).isFalse();
        assertThat(p.costUsd()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void parse_gemini0_61_0CachedSuccess_splitsCachedPrompt_countsEachTokenOnce() {
        ParsedOutput p = parser.parse("gemini-cli", output("gemini-cli"),
                fixture("gemini-cli-0.61.0-cached-success.json"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage().inputTokens()).as("prompt 123 includes cached 23; roles repeat the counts").hasValue(100);
        assertThat(p.usage().cacheReadTokens()).hasValue(23);
        assertThat(p.usage().outputTokens()).hasValue(45);
        assertThat(p.model()).contains("gemini-2.5-pro");
        assertThat(p.reportedError()).isFalse();
    }

    @Test
    void parse_claude401_reportsErrorWithStatusAndMessage() {
        ParsedOutput p = parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.197-error-401.json"));

        assertThat(p.reportedError()).isTrue();
        assertThat(p.errorStatus()).hasValue(401);
        assertThat(p.errorMessage()).contains("Failed to authenticate. API Error: 401 stub 401");
        assertThat(p.model()).as("empty modelUsage names no model").isEmpty();
    }

    @Test
    void parse_claude429And500_reportStatus() {
        assertThat(parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.197-error-429.json"))
                .errorStatus()).hasValue(429);
        assertThat(parser.parse("claude-code", output("claude-code"), fixture("claude-2.1.197-error-500.json"))
                .errorStatus()).hasValue(500);
    }

    @Test
    void parse_codexSuccess_readsLastAgentMessageAndTurnUsage_errorItemIsNoFailure() {
        ParsedOutput p = parser.parse("codex", output("codex"), fixture("codex-0.169.0-success.jsonl"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage()).isEqualTo(Usage.of(123, 45, 0, 0));
        assertThat(p.reportedError()).as("an item.type=error event is a warning, not a failure").isFalse();
        assertThat(p.errorMessage()).isEmpty();
        assertThat(p.costUsd()).isEmpty();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void parse_codexTurnFailed_isReportedErrorWithItsMessage() {
        String out = """
                {"type":"thread.started","thread_id":"t"}
                {"type":"turn.started"}
                {"type":"error","message":"stream error: 429 Too Many Requests"}
                {"type":"turn.failed","error":{"message":"exceeded retry limit, last status: 429 Too Many Requests"}}
                """;
        ParsedOutput p = parser.parse("codex", output("codex"), out);

        assertThat(p.reportedError()).isTrue();
        assertThat(p.errorMessage()).contains("stream error: 429 Too Many Requests");
        assertThat(p.usage().isKnown()).isFalse();
    }

    @Test
    void parse_codexCachedInput_isSubtractedFromInput() {
        String out = """
                {"type":"turn.completed","usage":{"input_tokens":1000,"cached_input_tokens":800,"output_tokens":5}}
                """;
        ParsedOutput p = parser.parse("codex", output("codex"), out);

        assertThat(p.usage().inputTokens()).hasValue(200);
        assertThat(p.usage().cacheReadTokens()).hasValue(800);
        assertThat(p.usage().cacheWriteTokens()).isEmpty();
        assertThat(p.warnings()).containsExactly(
                "usage not reported: cache_write_tokens ($[?(@.type == 'turn.completed')].usage.cache_write_input_tokens"
                        + " matched nothing)");
    }

    @Test
    void parse_codexTwoTurns_sumsUsageAndTakesLastText() {
        String out = """
                {"type":"item.completed","item":{"id":"1","type":"agent_message","text":"first"}}
                {"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1}}
                {"type":"item.completed","item":{"id":"2","type":"agent_message","text":"second"}}
                {"type":"turn.completed","usage":{"input_tokens":20,"cached_input_tokens":0,"output_tokens":2}}
                """;
        ParsedOutput p = parser.parse("codex", output("codex"), out);

        assertThat(p.text()).contains("second");
        assertThat(p.usage().inputTokens()).hasValue(30);
        assertThat(p.usage().outputTokens()).hasValue(3);
    }

    @Test
    void parse_geminiSuccess_countsEachTokenOnce_andNamesModel() {
        ParsedOutput p = parser.parse("gemini-cli", output("gemini-cli"), fixture("gemini-cli-0.61.0-success.json"));

        assertThat(p.text()).contains("STUB-OK");
        assertThat(p.usage().inputTokens()).as("roles repeat the counts; no double counting").hasValue(123);
        assertThat(p.usage().outputTokens()).hasValue(45);
        assertThat(p.usage().cacheReadTokens()).hasValue(0);
        assertThat(p.model()).contains("stub-model");
        assertThat(p.reportedError()).isFalse();
    }

    @Test
    void parse_geminiErrorObject_isReportedError() {
        String out = "{\"error\":{\"type\":\"FatalAuthenticationError\",\"message\":\"Invalid auth method selected.\",\"code\":41}}";
        ParsedOutput p = parser.parse("gemini-cli", output("gemini-cli"), out);

        assertThat(p.reportedError()).isTrue();
        assertThat(p.errorMessage()).contains("Invalid auth method selected.");
        assertThat(p.usage()).isEqualTo(Usage.unknown());
    }

    @Test
    void parse_missingUsageFields_areUnknownNotZero_andWarned() {
        String out = "{\"type\":\"result\",\"is_error\":false,\"result\":\"hi\",\"usage\":{\"output_tokens\":7}}";
        ParsedOutput p = parser.parse("claude-code", output("claude-code"), out);

        assertThat(p.usage().inputTokens()).isEmpty();
        assertThat(p.usage().outputTokens()).hasValue(7);
        assertThat(p.usage().cacheReadTokens()).isEmpty();
        assertThat(p.usage().isKnown()).isFalse();
        assertThat(p.costUsd()).isEmpty();
        assertThat(p.warnings()).containsExactly(
                "usage not reported: input_tokens ($.usage.input_tokens matched nothing)",
                "usage not reported: cache_read_tokens ($.usage.cache_read_input_tokens matched nothing)",
                "usage not reported: cache_write_tokens ($.usage.cache_creation_input_tokens matched nothing)");
    }

    @Test
    void parse_noUsagePathsConfigured_warnsForInputAndOutput() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.answer")), false);
        ParsedOutput p = parser.parse("t", spec, "{\"answer\":\"a\"}");

        assertThat(p.usage()).isEqualTo(Usage.unknown());
        assertThat(p.warnings()).containsExactly("usage not reported: input_tokens (no path configured)",
                "usage not reported: output_tokens (no path configured)");
    }

    @Test
    void parse_severalPathsAndWildcards_sumAllMatches() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(
                OutputField.INPUT_TOKENS, List.of("$.a[*].in", "$.extra"),
                OutputField.OUTPUT_TOKENS, List.of("$..out"),
                OutputField.COST_USD, List.of("$.a[*].cost")), false);
        String out = "{\"a\":[{\"in\":1,\"out\":2,\"cost\":0.1},{\"in\":3,\"out\":4,\"cost\":0.2}],\"extra\":10}";
        ParsedOutput p = parser.parse("t", spec, out);

        assertThat(p.usage().inputTokens()).hasValue(14);
        assertThat(p.usage().outputTokens()).hasValue(6);
        assertThat(p.costUsd()).contains(new BigDecimal("0.3"));
    }

    @Test
    void parse_inputIncludesCacheRead_neverBelowZero() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(
                OutputField.INPUT_TOKENS, List.of("$.in"), OutputField.OUTPUT_TOKENS, List.of("$.out"),
                OutputField.CACHE_READ_TOKENS, List.of("$.cached")), true);
        ParsedOutput p = parser.parse("t", spec, "{\"in\":5,\"out\":1,\"cached\":9}");

        assertThat(p.usage().inputTokens()).isEqualTo(OptionalLong.of(0));
    }

    @Test
    void parse_isErrorTruthiness() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.IS_ERROR, List.of("$.e")), false);
        for (String yes : List.of("true", "1", "-2.5", "\"yes\"", "\"TRUE\"", "{\"m\":1}", "[1]")) {
            assertThat(parser.parse("t", spec, "{\"e\":" + yes + "}").reportedError()).as(yes).isTrue();
        }
        for (String no : List.of("false", "null", "0", "0.0", "\"\"", "\"false\"", "{}", "[]")) {
            assertThat(parser.parse("t", spec, "{\"e\":" + no + "}").reportedError()).as(no).isFalse();
        }
        assertThat(parser.parse("t", spec, "{}").reportedError()).as("absent").isFalse();
    }

    @Test
    void parse_notJson_quotesFirst200Characters() {
        String out = "Error: something went wrong " + "x".repeat(300);
        assertThatThrownBy(() -> parser.parse("claude-code", output("claude-code"), out))
                .isInstanceOf(ToolOutputException.class)
                .satisfies(e -> assertThat(((ToolOutputException) e).code()).isEqualTo(ErrorCode.TOOL_OUTPUT_INVALID))
                .hasMessageContaining("tool 'claude-code': output is not valid JSON (output.format: json)")
                .hasMessageContaining("output starts with: \"" + out.substring(0, 200) + "\" (first 200 of 328 characters)")
                .hasMessageNotContaining(out.substring(0, 201));
    }

    @Test
    void parse_jsonWithTrailingGarbage_isNotJson() {
        assertThatThrownBy(() -> parser.parse("t", output("claude-code"), "{\"result\":\"a\"} and more"))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void parse_bytesJacksonCannotDecode_isNotJson_aToolOutputError() {
        byte[] stdout = {0, 0, 0x7B, 0};   // read as UTF-32 from the leading zeros, then undecodable
        assertThatThrownBy(() -> parser.parse("t", output("claude-code"), stdout))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void parse_emptyOutputWhereJsonDeclared_isError() {
        assertThatThrownBy(() -> parser.parse("t", output("claude-code"), "  \n"))
                .isInstanceOf(ToolOutputException.class)
                .hasMessage("tool 't': printed no output where JSON was declared (output.format: json)");
    }

    @Test
    void parse_jsonlBadLine_namesLineNumber() {
        String out = "{\"type\":\"thread.started\"}\n\n{\"type\":\"turn.started\"}\nReading additional input from stdin...\n";
        assertThatThrownBy(() -> parser.parse("codex", output("codex"), out))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("output line 4 is not valid JSON (output.format: jsonl)")
                .hasMessageContaining("the line starts with: \"Reading additional input from stdin...\"");
    }

    @Test
    void parse_jsonlWithCrLf_isAccepted() {
        String out = fixture("codex-0.169.0-success.jsonl").replace("\n", "\r\n");
        assertThat(parser.parse("codex", output("codex"), out).text()).contains("STUB-OK");
    }

    @Test
    void parse_text_isWholeStdout_usageUnknown() {
        ParsedOutput p = parser.parse("t", OutputSpec.text(), "  line 1\nline 2\n");

        assertThat(p.text()).contains("  line 1\nline 2\n");
        assertThat(p.usage()).isEqualTo(Usage.unknown());
        assertThat(p.warnings()).containsExactly("usage not reported: output format is text");
    }

    @Test
    void parse_nonNumericTokenCount_isUnknownAndWarned() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(
                OutputField.INPUT_TOKENS, List.of("$.in"), OutputField.OUTPUT_TOKENS, List.of("$.out")), false);
        ParsedOutput p = parser.parse("t", spec, "{\"in\":\"many\",\"out\":\"12\"}");

        assertThat(p.usage().inputTokens()).isEmpty();
        assertThat(p.usage().outputTokens()).hasValue(12);
        assertThat(p.warnings()).containsExactly(
                "output.input_tokens matched a value that is not a number, ignored: \"many\"",
                "usage not reported: input_tokens ($.in matched no number)");
    }

    @Test
    void parse_invalidJsonPath_isOutputErrorNamingField() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.[[")), false);
        assertThatThrownBy(() -> parser.parse("t", spec, "{}"))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("output.text: invalid JSONPath '$.[['");
    }

    @Test
    void parse_textMatchingObject_isItsJson() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.r")), false);
        assertThat(parser.parse("t", spec, "{\"r\":{\"a\":[1,2]}}").text()).contains("{\"a\":[1,2]}");
    }

    @Test
    void parse_bytes_sameAsTheDecodedText_forEveryRealOutputAndForMalformedUtf8() {
        for (String[] c : new String[][]{{"claude-code", "claude-2.1.197-success.json"},
                {"claude-code", "claude-2.1.197-error-429.json"}, {"claude-code", "claude-2.1.332-success.json"},
                {"gemini-cli", "gemini-cli-0.61.0-success.json"}, {"codex", "codex-0.171.0-success.jsonl"}}) {
            String text = fixture(c[1]);
            assertThat(parser.parse(c[0], output(c[0]), text.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .as(c[1]).isEqualTo(parser.parse(c[0], output(c[0]), text));
        }
        byte[] malformed = "{\"result\":\"caf\u00e9 \u0000\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin1 = "{\"result\":\"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        for (byte[] bytes : List.of(malformed, latin1, new byte[0], " \n\t".getBytes(), "not json".getBytes())) {
            String decoded = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            Object fromText;
            Object fromBytes;
            try {
                fromText = parser.parse("claude-code", output("claude-code"), decoded);
            } catch (ToolOutputException e) {
                fromText = e.getMessage();
            }
            try {
                fromBytes = parser.parse("claude-code", output("claude-code"), bytes);
            } catch (ToolOutputException e) {
                fromBytes = e.getMessage();
            }
            assertThat(fromBytes).as(decoded).isEqualTo(fromText);
        }
    }

    @Test
    void parse_costWithTrailingZeros_keepsTheScalePrinted_alsoSummedOverJsonLines() {
        OutputSpec json = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.COST_USD, List.of("$.c")), false);
        assertThat(parser.parse("t", json, "{\"c\":0.0010}").costUsd()).contains(new BigDecimal("0.0010"));
        OutputSpec lines = new OutputSpec(OutputFormat.JSONL, Map.of(OutputField.COST_USD, List.of("$[*].c")), false);
        assertThat(parser.parse("t", lines, "{\"c\":0.50}\n{\"c\":0.50}\n").costUsd()).contains(new BigDecimal("1.00"));
    }

    @Test
    void parse_twoJsonDocumentsWhereOneDeclared_namesTheTrailingToken() {
        assertThatThrownBy(() -> parser.parse("t", output("claude-code"), "{\"a\": 1}{\"b\": 2}"))
                .isInstanceOf(ToolOutputException.class)
                .hasMessage("tool 't': output is not valid JSON (output.format: json): Trailing token (of type START_OBJECT)"
                        + " found after the value: not one JSON document at line 1, column 10;"
                        + " output starts with: \"{\"a\": 1}{\"b\": 2}\"");
    }

    @Test
    void parse_tokenCountMatchingAnObject_warnsQuotingItsJson() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSON, Map.of(
                OutputField.INPUT_TOKENS, List.of("$.in"), OutputField.OUTPUT_TOKENS, List.of("$.out")), false);
        ParsedOutput p = parser.parse("t", spec, "{\"in\":{\"n\":1},\"out\":2}");

        assertThat(p.warnings()).containsExactly(
                "output.input_tokens matched a value that is not a number, ignored: \"{\"n\":1}\"",
                "usage not reported: input_tokens ($.in matched no number)");
    }

    @Test
    void errorReport_gemini0_61Stderr_readsTheLastJsonDocument_afterTheStackTrace() {
        ParsedOutput report = parser.errorReport("gemini-cli", output("gemini-cli"),
                fixture("gemini-cli-0.61.0-stderr-429.txt")).orElseThrow();

        assertThat(report.reportedError()).isTrue();
        assertThat(report.errorStatus()).hasValue(429);
        assertThat(report.errorMessage()).contains("Resource has been exhausted (e.g. check quota).");
    }

    @Test
    void errorReport_noJsonAtTheEnd_orTextFormat_isEmpty() {
        assertThat(parser.errorReport("gemini-cli", output("gemini-cli"), "Error: boom\n  at x (y.js:1:2)\n"))
                .isEmpty();
        assertThat(parser.errorReport("gemini-cli", output("gemini-cli"), "{\"error\": {\"code\": 1}}\ntrailing words"))
                .as("a document must run to the end of the text").isEmpty();
        assertThat(parser.errorReport("t", io.llmservice.config.OutputSpec.text(), "{\"error\": 1}")).isEmpty();
    }

    @Test
    void parse_withSessionIdPaths_readsTheIdInTheSamePass_firstPathThatMatchesAString() {
        OutputSpec spec = new OutputSpec(OutputFormat.JSONL, Map.of(OutputField.TEXT, List.of("$[*].text")), false);
        String stdout = "{\"type\":\"thread.started\",\"thread_id\":\"t-1\"}\n{\"text\":\"hi\",\"n\":7}\n";

        ParsedOutput parsed = parser.parse("codex", spec, stdout.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                List.of("$[*].n", "$[*].missing", "$[*].thread_id"));

        assertThat(parsed.text()).contains("hi");
        assertThat(parsed.sessionId()).contains("t-1");
        assertThat(parser.parse("codex", spec, stdout).sessionId()).isEmpty();
    }
}
