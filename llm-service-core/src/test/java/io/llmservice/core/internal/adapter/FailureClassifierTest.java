package io.llmservice.core.internal.adapter;

import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.config.ErrorSpec;
import io.llmservice.config.FailureKind;
import io.llmservice.config.ToolDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static io.llmservice.core.internal.adapter.BuiltinTools.tool;
import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    private final OutputParser parser = new OutputParser();
    private final FailureClassifier classifier = new FailureClassifier();

    private ToolException classifyFixture(String toolName, String file, int exitCode, String stderr) {
        ToolDefinition tool = tool(toolName);
        String stdout = fixture(file);
        ParsedOutput parsed = parser.parse(toolName, tool.output(), stdout);
        return classifier.classify(tool, exitCode, Optional.of(parsed), stdout, stderr).orElseThrow();
    }

    private static ToolDefinition textTool(String name, String binary, List<String> retriableWhen) {
        return ToolDefinition.builder().name(name).binary(binary).retriableWhen(retriableWhen).build();
    }

    @Test
    void classify_claudeSuccess_isNoFailure() {
        ToolDefinition tool = tool("claude-code");
        String stdout = fixture("claude-2.1.197-success.json");
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        assertThat(classifier.classify(tool, 0, Optional.of(parsed), stdout, "")).isEmpty();
    }

    @Test
    void classify_claude401_isAuthenticationNotRetriable_sayingHowToLogIn() {
        ToolException e = classifyFixture("claude-code", "claude-2.1.197-error-401.json", 1, "");

        assertThat(e).isInstanceOf(ToolReportedErrorException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(((ToolReportedErrorException) e).errorStatus()).hasValue(401);
        assertThat(((ToolReportedErrorException) e).exitCode()).isEqualTo(1);
        assertThat(e).hasMessage("tool 'claude-code': authentication failed: Failed to authenticate. API Error: 401 stub 401"
                + " (HTTP 401, exit status 1); log in with `claude /login`, or set ANTHROPIC_API_KEY in the environment"
                + " (the built-in claude-code definition passes it on)");
    }

    @Test
    void classify_claude429_isRetriable() {
        ToolException e = classifyFixture("claude-code", "claude-2.1.197-error-429.json", 1, "");

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_REPORTED_ERROR);
        assertThat(e.retriable()).isTrue();
        assertThat(((ToolReportedErrorException) e).errorStatus()).hasValue(429);
        assertThat(e).hasMessageContaining("API Error: Request rejected (429)");
    }

    @Test
    void classify_claude500_isRetriable() {
        ToolException e = classifyFixture("claude-code", "claude-2.1.197-error-500.json", 1, "");

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_REPORTED_ERROR);
        assertThat(e.retriable()).isTrue();
        assertThat(((ToolReportedErrorException) e).errorStatus()).hasValue(500);
    }

    @Test
    void classify_isErrorWithExitZero_isFailure_notRetriable() {
        ToolDefinition tool = tool("claude-code");
        String stdout = "{\"is_error\":true,\"result\":\"Prompt is too long\",\"api_error_status\":null}";
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 0, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e).isInstanceOf(ToolReportedErrorException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_REPORTED_ERROR);
        assertThat(e.retriable()).isFalse();
        assertThat(e).hasMessage("tool 'claude-code': reported an error: Prompt is too long (exit status 0)");
    }

    @Test
    void classify_status403_isAuthentication() {
        ToolDefinition tool = tool("claude-code");
        String stdout = "{\"is_error\":true,\"result\":\"forbidden\",\"api_error_status\":403}";
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void classify_codexSuccessWithErrorItem_isNoFailure() {
        ToolDefinition tool = tool("codex");
        String stdout = fixture("codex-0.169.0-success.jsonl");
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        assertThat(classifier.classify(tool, 0, Optional.of(parsed), stdout, "Reading additional input from stdin...\n"))
                .isEmpty();
    }

    @Test
    void classify_codexTurnFailed429_isRetriable() {
        ToolDefinition tool = tool("codex");
        String stdout = "{\"type\":\"turn.failed\",\"error\":{\"message\":\"exceeded retry limit, last status: 429 Too Many Requests\"}}\n";
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageContaining("exceeded retry limit");
    }

    @Test
    void classify_codex0_171HighDemand_whatItSaysForA429_isRetriable() {
        ToolDefinition tool = tool("codex");
        String stdout = "{\"type\":\"turn.failed\",\"error\":{\"message\":\"We\u2019re currently experiencing high"
                + " demand, which may cause temporary errors.\"}}\n";
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageContaining("high demand");
    }

    @Test
    void classify_codexNotLoggedIn_isAuthenticationWithCodexHint() {
        ToolDefinition tool = tool("codex");
        String stdout = "{\"type\":\"error\",\"message\":\"unexpected status 401 Unauthorized: Missing bearer\"}\n";
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e).hasMessageContaining("set OPENAI_API_KEY in the environment");
    }

    @Test
    void classify_codexOnAnotherProvider_hintNamesTheProvidersKeyVariable() {
        ToolDefinition tool = tool("codex").toBuilder()
                .options(java.util.Map.of("provider", "local", "env_key", "LOCAL_LLM_KEY")).build();
        String stdout = "{\"type\":\"error\",\"message\":\"unexpected status 401 Unauthorized: Missing bearer\"}\n";
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e).hasMessageContaining("set LOCAL_LLM_KEY in the environment").hasMessageNotContaining("OPENAI");
    }

    // ---- the API could not be reached: retriable, and the message names the cause

    @Test
    void classify_claudeConnectionError_isRetriable_namingTheCause() {
        ToolDefinition tool = tool("claude-code");
        // older claude wording when it cannot connect ("API Error: Connection error."), in its result document.
        String stdout = "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":true,"
                + "\"result\":\"API Error: Connection error.\",\"total_cost_usd\":0}";
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_REPORTED_ERROR);
        assertThat(e).hasMessageStartingWith("tool 'claude-code': could not reach the API: network error;"
                + " the tool reported: API Error: Connection error.");
    }

    @Test
    void classify_claude2_1_332ConnectionRefused_realOutput_isRetriable_namingConnectionRefused() {
        ToolException e = classifyFixture("claude-code", "claude-2.1.332-error-connection-refused.json", 1, "");

        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageStartingWith("tool 'claude-code': could not reach the API: connection refused;"
                + " the tool reported: API Error: Connection refused");
    }

    @Test
    void classify_codexStreamDisconnected_isRetriable_namingTheCause() {
        ToolDefinition tool = tool("codex");
        String stdout = "{\"type\":\"error\",\"message\":\"Reconnecting... 5/5 (stream disconnected before completion:"
                + " error sending request for url (https://api.openai.com/v1/responses))\"}\n"
                + "{\"type\":\"turn.failed\",\"error\":{\"message\":\"stream disconnected before completion: error"
                + " sending request for url (https://api.openai.com/v1/responses)\"}}\n";
        ParsedOutput parsed = parser.parse("codex", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageContaining("could not reach the API: network error")
                .hasMessageContaining("error sending request for url (https://api.openai.com/v1/responses)");
    }

    @Test
    void classify_gemini0_61NoNetwork_realStderr_isRetriableExit_namingTheCause() {
        ToolDefinition tool = tool("gemini-cli");
        // What gemini 0.61 printed without network after its 10 attempts (about 4 minutes), stack traces left out:
        // the JSON error goes to stderr, stdout stays empty.
        String stderr = """
                Attempt 9 failed. Retrying with backoff... Error: exception TypeError: fetch failed sending request
                Error when talking to Gemini API Full report available at: /tmp/gemini-client-error.json \
                Error: exception TypeError: fetch failed sending request
                {
                  "session_id": "00000000-0000-0000-0000-000000000000",
                  "error": {
                    "type": "Error",
                    "message": "exception TypeError: fetch failed sending request",
                    "code": 1
                  }
                }
                """;

        Optional<ParsedOutput> report = parser.errorReport("gemini-cli", tool.output(), stderr);
        ToolException e = classifier.classify(tool, 1, Optional.empty(), report, "", stderr).orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessage("tool 'gemini-cli': could not reach the API: network error; the tool reported:"
                + " exception TypeError: fetch failed sending request (exit status 1)");
    }

    @Test
    void classify_nodeConnectionRefused_namesConnectionRefused() {
        ToolException e = classifier.classify(textTool("t", "t", List.of()), 1, Optional.empty(), "",
                "TypeError: fetch failed\n  [cause]: Error: connect ECONNREFUSED 127.0.0.1:9\n").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageContaining("(could not reach the API: connection refused)");
    }

    @Test
    void classify_hostNotResolved_namesIt() {
        ToolException e = classifier.classify(textTool("t", "t", List.of()), 1, Optional.empty(), "",
                "getaddrinfo ENOTFOUND generativelanguage.googleapis.com").orElseThrow();
        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessageContaining("could not reach the API: the API's host name could not be resolved");
    }

    @Test
    void classify_connectionWordsInAnHttpError_areNotUnreachable() {
        ToolDefinition tool = tool("claude-code");
        String stdout = "{\"type\":\"result\",\"is_error\":true,\"api_error_status\":400,"
                + "\"result\":\"API Error: 400 the prompt mentions a connection error\"}";
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.retriable()).as("the API answered: it was reached").isFalse();
        assertThat(e).hasMessageNotContaining("could not reach the API");
    }

    @Test
    void classify_geminiExit41_isAuthenticationWithGeminiHint() {
        ToolDefinition tool = tool("gemini-cli");
        String stdout = "{\"error\":{\"type\":\"FatalAuthenticationError\",\"message\":\"Invalid auth method selected.\",\"code\":41}}";
        ParsedOutput parsed = parser.parse("gemini-cli", tool.output(), stdout);

        ToolException e = classifier.classify(tool, 41, Optional.of(parsed), stdout, "").orElseThrow();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e).hasMessageContaining("Invalid auth method selected.")
                .hasMessageContaining("GEMINI_API_KEY").hasMessageContaining("Skipping system settings file");
    }

    @Test
    void classify_geminiExit55_saysHowToTrustTheFolder() {
        ToolDefinition tool = tool("gemini-cli");
        String stderr = "Gemini CLI is not running in a trusted directory.\n";

        ToolException e = classifier.classify(tool, 55, Optional.empty(), "", stderr).orElseThrow();
        assertThat(e).isInstanceOf(ToolExitException.class);
        assertThat(e.retriable()).isFalse();
        assertThat(((ToolExitException) e).exitCode()).isEqualTo(55);
        assertThat(e).hasMessageContaining("security.folderTrust.enabled false")
                .hasMessageContaining("stderr: Gemini CLI is not running in a trusted directory.");
    }

    @Test
    void classify_geminiSuccess_isNoFailure() {
        ToolDefinition tool = tool("gemini-cli");
        String stdout = fixture("gemini-cli-0.61.0-success.json");
        ParsedOutput parsed = parser.parse("gemini-cli", tool.output(), stdout);

        assertThat(classifier.classify(tool, 0, Optional.of(parsed), stdout, "")).isEmpty();
    }

    @Test
    void classify_nonZeroExitWithRateLimitWording_isRetriable() {
        ToolDefinition tool = textTool("t", "/opt/t/bin/t", List.of());
        for (String out : List.of("Rate limit reached", "HTTP 429", "server overloaded", "Too Many Requests",
                "error 503 from upstream", "502 Bad Gateway", "status 500 internal")) {
            assertThat(classifier.classify(tool, 2, Optional.empty(), out, "").orElseThrow().retriable()).as(out).isTrue();
            assertThat(classifier.classify(tool, 2, Optional.empty(), "", out).orElseThrow().retriable()).as(out).isTrue();
        }
    }

    @Test
    void classify_textOutputParsed_stdoutIsStillSearched() {
        ToolDefinition tool = textTool("t", "t", List.of());
        ParsedOutput parsed = parser.parse("t", tool.output(), "overloaded, try later");

        assertThat(classifier.classify(tool, 1, Optional.of(parsed), "overloaded, try later", "").orElseThrow()
                .retriable()).isTrue();
    }

    @Test
    void classify_retriableWhenPattern_isCaseInsensitiveSubstring() {
        ToolDefinition tool = textTool("t", "t", List.of("Try Again Later"));
        ToolException e = classifier.classify(tool, 3, Optional.empty(), "", "please TRY AGAIN later").orElseThrow();

        assertThat(e.retriable()).isTrue();
        assertThat(textTool("t", "t", List.of()).retriableWhen()).isEmpty();
        assertThat(classifier.classify(textTool("t", "t", List.of()), 3, Optional.empty(), "", "please try again later")
                .orElseThrow().retriable()).isFalse();
    }

    @Test
    void classify_digitsInsideOtherNumbers_areNoRetriableWording() {
        ToolDefinition tool = textTool("t", "t", List.of());
        for (String out : List.of("read 1500 files", "id 4291", "v5.0.3", "port 15029")) {
            assertThat(classifier.classify(tool, 1, Optional.empty(), out, "").orElseThrow().retriable()).as(out).isFalse();
        }
    }

    @Test
    void classify_jsonMetadataMentioning429_isNotRetriable() {
        // duration_ms 429 is metadata, not a status: only the error message and stderr are searched.
        ToolDefinition tool = tool("claude-code");
        String stdout = "{\"is_error\":true,\"duration_ms\":429,\"result\":\"Invalid model name\",\"api_error_status\":null}";
        ParsedOutput parsed = parser.parse("claude-code", tool.output(), stdout);

        assertThat(classifier.classify(tool, 1, Optional.of(parsed), stdout, "").orElseThrow().retriable()).isFalse();
    }

    @Test
    void classify_otherNonZeroExit_isNotRetriableExitWithLast2KbOfStderr() {
        ToolDefinition tool = textTool("t", "t", List.of());
        String stderr = "HEAD-" + "é".repeat(3000) + "-TAIL";

        ToolException e = classifier.classify(tool, 7, Optional.empty(), "", stderr).orElseThrow();
        assertThat(e).isInstanceOf(ToolExitException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_EXIT);
        assertThat(e.retriable()).isFalse();
        ToolExitException x = (ToolExitException) e;
        assertThat(x.exitCode()).isEqualTo(7);
        assertThat(x.stderrTail()).endsWith("-TAIL").doesNotContain("HEAD-");
        assertThat(x.stderrTail().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isBetween(2047, 2048);
        assertThat(e).as("the message quotes one line, not 2 KB").hasMessage("tool 't': exited with status 7; stderr: "
                + FailureClassifier.usefulLine(stderr));
    }

    @Test
    void classify_exitZeroNoReportedError_isSuccess() {
        assertThat(classifier.classify(textTool("t", "t", List.of()), 0, Optional.empty(), "rate limit", "429"))
                .isEmpty();
    }

    @Test
    void classify_unknownToolAuthWording_givesGenericHint() {
        ToolDefinition tool = textTool("my-tool", "C:\\tools\\mine.exe", List.of());
        ToolException e = classifier.classify(tool, 1, Optional.empty(), "", "Error: Unauthorized").orElseThrow();

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e).hasMessageContaining("declare the variables it needs under tools.my-tool.env");
    }

    /** Classifies a real gemini 0.61 failure: stdout empty, the JSON report at the end of stderr. */
    private ToolException classifyGeminiStderr(String file, int exitCode) {
        ToolDefinition tool = tool("gemini-cli");
        String stderr = fixture(file);
        Optional<ParsedOutput> report = parser.errorReport("gemini-cli", tool.output(), stderr);
        assertThat(report).as("the JSON report at the end of stderr is read").isPresent();
        return classifier.classify(tool, exitCode, Optional.empty(), report, "", stderr).orElseThrow();
    }

    @Test
    void classify_gemini0_61Status401OnStderr_isAuthentication_oneLineAndTheKeyHint() {
        ToolException e = classifyGeminiStderr("gemini-cli-0.61.0-stderr-401.txt", 145);

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(((ToolReportedErrorException) e).errorStatus()).hasValue(401);
        assertThat(e).hasMessage("tool 'gemini-cli': authentication failed: Request had invalid authentication"
                + " credentials. (UNAUTHENTICATED) (HTTP 401, exit status 145); set GEMINI_API_KEY (or GOOGLE_API_KEY)"
                + " in the environment to a valid Gemini API key (the built-in gemini-cli definition passes it on)");
    }

    @Test
    void classify_gemini0_61GooglesBadKeyReply400_isAuthentication() {
        ToolException e = classifyGeminiStderr("gemini-cli-0.61.0-stderr-400-api-key-invalid.txt", 144);

        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e).hasMessageStartingWith("tool 'gemini-cli': authentication failed: API key not valid. Please pass"
                + " a valid API key. (INVALID_ARGUMENT) (HTTP 400, exit status 144); set GEMINI_API_KEY");
    }

    @Test
    void classify_gemini0_61Status429And500OnStderr_areRetriable_withoutStackTrace() {
        ToolException rateLimited = classifyGeminiStderr("gemini-cli-0.61.0-stderr-429.txt", 173);
        ToolException failed = classifyGeminiStderr("gemini-cli-0.61.0-stderr-500.txt", 244);

        assertThat(rateLimited.retriable()).isTrue();
        assertThat(rateLimited).hasMessage("tool 'gemini-cli': reported a transient error: Resource has been"
                + " exhausted (e.g. check quota). (HTTP 429, exit status 173)");
        assertThat(failed.retriable()).isTrue();
        assertThat(failed.getMessage()).startsWith("tool 'gemini-cli': reported a transient error: An internal error"
                + " has occurred.").contains("(INTERNAL) (HTTP 500, exit status 244)")
                .doesNotContain("\n", " at ", "chunk-", "stack");
    }

    @Test
    void classify_exitCodeMappedInYaml_decides_withoutAnyReport() {
        ToolDefinition tool = textTool("acme", "acme", List.of()).toBuilder().errors(ErrorSpec.builder()
                .exitCode(145, FailureKind.AUTH).exitCode(173, FailureKind.RATE_LIMIT).exitCode(3, FailureKind.FATAL)
                .authHint("run `acme login` or set {options.env_key}").build())
                .options(java.util.Map.of("env_key", "ACME_KEY")).build();

        ToolException auth = classifier.classify(tool, 145, Optional.empty(), "", "").orElseThrow();
        ToolException limited = classifier.classify(tool, 173, Optional.empty(), "", "").orElseThrow();
        ToolException fatal = classifier.classify(tool, 3, Optional.empty(), "", "server overloaded").orElseThrow();

        assertThat(auth.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(auth).hasMessageEndingWith("; run `acme login` or set ACME_KEY");
        assertThat(limited.retriable()).isTrue();
        assertThat(fatal.retriable()).as("fatal wins over transient wording").isFalse();
    }

    @Test
    void classify_sameBinaryNameWithoutErrorsBlock_getsNoVendorRules() {
        // A tool whose binary happens to be called gemini is not given gemini's rules: they live in the YAML.
        ToolDefinition tool = textTool("mine", "/usr/local/bin/gemini", List.of());

        ToolException e = classifier.classify(tool, 41, Optional.empty(), "", "").orElseThrow();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_EXIT);
        assertThat(e.retriable()).isFalse();
    }

    @Test
    void classify_stackTraceOnStderr_messageQuotesOneTellingLine() {
        String stderr = """
                Warning: 256-color support not detected.
                TypeError: Cannot read properties of undefined (reading 'x')
                    at run (file:///opt/tool/bundle.js:10:5)
                    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
                }
                """;

        ToolException e = classifier.classify(textTool("t", "t", List.of()), 2, Optional.empty(), "", stderr)
                .orElseThrow();
        assertThat(e).hasMessage("tool 't': exited with status 2; stderr: TypeError: Cannot read properties of"
                + " undefined (reading 'x')");
    }

    @Test
    void usefulLine_noTellingWord_isTheFirstLine() {
        assertThat(FailureClassifier.usefulLine("boom: something broke\nsecond line\n")).isEqualTo("boom: something broke");
    }

    @Test
    void usefulLine_isCutAtItsLimit() {
        assertThat(FailureClassifier.usefulLine("error " + "x".repeat(1000))).hasSize(FailureClassifier.LINE_CHARS + 3);
    }
}
