package io.llmservice.core.internal.adapter;

import io.llmservice.Ticker;
import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolNotInstalledException;
import io.llmservice.ToolOutputException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.ErrorSource;
import io.llmservice.config.ErrorSpec;
import io.llmservice.config.FailureKind;
import io.llmservice.config.OsFamily;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.OutputSpec;
import io.llmservice.config.PromptMode;
import io.llmservice.config.ScratchDir;
import io.llmservice.config.SettingsFile;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.exec.Os;
import io.llmservice.spi.AdapterContext;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.llmservice.core.internal.adapter.BuiltinTools.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The generic adapter end to end, against real subprocesses ({@link FakeCli}). */
class CliToolAdapterIT {

    @TempDir
    Path dir;

    private final List<CliToolAdapter> adapters = new ArrayList<>();

    @AfterEach
    void closeAdapters() {
        adapters.forEach(CliToolAdapter::close);
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Map<String, String> parentEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("LLM_SERVICE_TEST_PARENT_SECRET", "hunter2");
        return env;
    }

    private CliToolAdapter adapter(ToolDefinition tool) {
        Map<String, String> env = parentEnvironment();
        // A tool's settings_file goes under the data directory: this test's, not the user's.
        env.put("XDG_DATA_HOME", dir.resolve("data").toString());
        CliToolAdapter a = new CliToolAdapter(tool, new AdapterContext(Clock.systemUTC(), env, Os.current(), Ticker.system()));
        adapters.add(a);
        return a;
    }

    /** A built-in tool definition pointed at a fake binary, with test-only env values. */
    private static ToolDefinition builtin(String name, Path binary, Map<String, String> env) {
        ToolDefinition t = BuiltinTools.tool(name);
        return t.toBuilder().binary(binary.toString()).binaryByOs(Map.of()).env(env).build();
    }

    private static ToolDefinition custom(String name, String binary, List<String> args, PromptMode mode,
                                         OutputSpec output, Map<String, String> env, long maxOutputBytes) {
        return ToolDefinition.builder().name(name).binary(binary).args(args).prompt(mode).env(env)
                .model("m", "tool-m").output(output).maxOutputBytes(maxOutputBytes).build();
    }

    private static ToolDefinition textTool(FakeCli fake) {
        return custom("t", fake.binary().toString(), List.of("run"), PromptMode.STDIN, OutputSpec.text(), Map.of(),
                ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
    }

    private static ToolInvocation invocation(String prompt, String toolModel, Duration timeout) {
        return ToolInvocation.builder(prompt).requestId("req-1").model("model-id", toolModel).timeout(timeout).build();
    }

    private static ToolInvocation invocation(String prompt) {
        return invocation(prompt, "tool-m", Duration.ofMinutes(1));
    }

    // ---- the three real CLIs, end to end -----------------------------------------------------

    @Test
    void invoke_errorJsonOnStderr_stdoutEmpty_mappedExitCode_isAuthenticationWithOneLine() {
        // What gemini 0.61 does on a 401: a stack trace, then its JSON report on stderr; stdout empty; exit 401 % 256.
        FakeCli gemini = FakeCli.builder().name("gemini").stdout("")
                .stderr(fixture("gemini-cli-0.61.0-stderr-401.txt")).exitCode(145).build(dir);
        CliToolAdapter adapter = adapter(builtin("gemini-cli", gemini.binary(), Map.of("GEMINI_API_KEY", "bad")));

        ToolReportedErrorException e = catchThrowableOfType(() -> adapter.invoke(invocation("hi", "gemini-2.5-pro",
                Duration.ofMinutes(1))), ToolReportedErrorException.class);

        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e.errorStatus()).hasValue(401);
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("    at ")
                .contains("Request had invalid authentication credentials.", "GEMINI_API_KEY");
    }

    @Test
    void invoke_customToolMapsExitCode_stderrJson_rateLimitIsRetriable() {
        FakeCli cli = FakeCli.builder().name("acme").stdout("")
                .stderr("warning: something\n{\"error\": {\"message\": \"slow down\", \"status\": 429}}\n")
                .exitCode(9).build(dir);
        ToolDefinition tool = custom("acme", cli.binary().toString(), List.of(), PromptMode.STDIN,
                new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.text"),
                        OutputField.IS_ERROR, List.of("$.error"), OutputField.ERROR_MESSAGE, List.of("$.error.message")),
                        false), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES).toBuilder()
                .errors(ErrorSpec.builder().jsonFrom(List.of(ErrorSource.STDOUT, ErrorSource.STDERR))
                        .exitCode(9, FailureKind.RATE_LIMIT).build()).build();

        ToolException e = catchThrowableOfType(() -> adapter(tool).invoke(invocation("hi")), ToolException.class);

        assertThat(e.retriable()).isTrue();
        assertThat(e).hasMessage("tool 'acme': reported a transient error: slow down (exit status 9)");
    }

    @Test
    void invoke_scratchDir_namedInTheChildsEnvironment_andDeletedAfterTheCall() throws Exception {
        FakeCli cli = FakeCli.builder().name("acme").stdout("OK").build(dir);
        ToolDefinition tool = textTool(cli).toBuilder().scratchDir(new ScratchDir(List.of("ACME_HOME", "TMPDIR"))).build();

        adapter(tool).invoke(invocation("hi"));
        adapter(tool).invoke(invocation("hi"));

        Path calls = dir.resolve("data").resolve("llm-service").resolve("tools").resolve("t").resolve("calls");
        Map<String, String> first = cli.invocations().get(0).environment();
        Map<String, String> second = cli.invocations().get(1).environment();
        assertThat(Path.of(first.get("ACME_HOME"))).hasParentRaw(calls);
        assertThat(first.get("TMPDIR")).isEqualTo(first.get("ACME_HOME"));
        assertThat(second.get("ACME_HOME")).as("a directory per call").isNotEqualTo(first.get("ACME_HOME"));
        try (Stream<Path> left = Files.list(calls)) {
            assertThat(left).as("deleted after each call").isEmpty();
        }
    }

    @Test
    void invoke_settingsFile_writtenPrivately_underDataDirectory_andNamedInTheChildsEnvironment() throws Exception {
        FakeCli cli = FakeCli.builder().name("acme").stdout("OK").build(dir);
        ToolDefinition tool = textTool(cli).toBuilder()
                .settingsFile(new SettingsFile("ACME_SETTINGS", "{\"general\":{\"maxAttempts\":1}}")).build();

        adapter(tool).invoke(invocation("hi"));

        Path file = dir.resolve("data").resolve("llm-service").resolve("tools").resolve("t").resolve("settings.json");
        assertThat(cli.invocations().get(0).environment()).containsEntry("ACME_SETTINGS", file.toString());
        assertThat(Files.readString(file)).isEqualTo("{\"general\":{\"maxAttempts\":1}}");
        if (Os.current() != OsFamily.WINDOWS) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
        }
        // A changed file is put back as the YAML says before the next call.
        Files.writeString(file, "{}");
        adapter(tool).invoke(invocation("hi"));
        assertThat(Files.readString(file)).isEqualTo("{\"general\":{\"maxAttempts\":1}}");
    }

    @Test
    void invoke_claudeFixture_parsedEndToEnd_promptOnStdin_declaredEnvOnly() {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-success.json")).build(dir);
        CliToolAdapter adapter = adapter(builtin("claude-code", claude.binary(), Map.of("ANTHROPIC_API_KEY", "sk-test")));

        ToolResult r = adapter.invoke(invocation("say hi", "claude-sonnet-4-5", Duration.ofMinutes(1)));

        assertThat(r.text()).isEqualTo("STUB-OK");
        assertThat(r.usage()).isEqualTo(Usage.of(123, 45, 0, 0));
        assertThat(r.reportedCostUsd()).contains(new BigDecimal("0.001044"));
        assertThat(r.reportedModel()).contains("claude-sonnet-5");
        assertThat(r.exitCode()).isZero();
        assertThat(r.warnings()).isEmpty();
        FakeCli.Invocation call = claude.invocations().get(0);
        assertThat(call.argv()).containsExactly("-p", "--output-format", "json", "--model", "claude-sonnet-4-5",
                "--strict-mcp-config", "--setting-sources", "user", "--no-session-persistence");
        assertThat(call.stdinText()).isEqualTo("say hi");
        assertThat(call.environment()).containsEntry("ANTHROPIC_API_KEY", "sk-test")
                .doesNotContainKey("LLM_SERVICE_TEST_PARENT_SECRET");
    }

    @Test
    void invoke_codexFixture_parsedEndToEnd_errorItemIsNoFailure() {
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl"))
                .stderr("Reading additional input from stdin...\n").build(dir);
        CliToolAdapter adapter = adapter(builtin("codex", codex.binary(), Map.of()));

        ToolResult r = adapter.invoke(invocation("say hi", "gpt-5-codex", Duration.ofMinutes(1)));

        assertThat(r.text()).isEqualTo("STUB-OK");
        assertThat(r.usage()).isEqualTo(Usage.of(123, 45, 0, 0));
        // the built-in's model provider, rendered from its options:
        assertThat(codex.invocations().get(0).argv()).containsExactly("exec", "--json", "--skip-git-repo-check",
                "-c", "model_provider=llm-service-openai",
                "-c", "model_providers.llm-service-openai={name=\"llm-service-openai\",base_url=\"https://api.openai.com/v1\","
                        + "wire_api=\"responses\",env_key=\"OPENAI_API_KEY\",request_max_retries=0,stream_max_retries=0,"
                        + "stream_idle_timeout_ms=60000}",
                "-c", "features.unbounded_connection_retries=false", "-c", "check_for_update_on_startup=false",
                "-c", "analytics.enabled=false", "--model", "gpt-5-codex", "--ephemeral", "-");
    }

    @Test
    void invoke_geminiFixture_parsedEndToEnd_noDoubleCounting() {
        FakeCli gemini = FakeCli.builder().name("gemini").stdout(fixture("gemini-cli-0.61.0-success.json")).build(dir);
        CliToolAdapter adapter = adapter(builtin("gemini-cli", gemini.binary(), Map.of("GEMINI_API_KEY", "g-test")));

        ToolResult r = adapter.invoke(invocation("say hi", "gemini-2.5-pro", Duration.ofMinutes(1)));

        assertThat(r.text()).isEqualTo("STUB-OK");
        assertThat(r.usage().inputTokens()).hasValue(123);
        assertThat(r.usage().outputTokens()).hasValue(45);
        assertThat(r.reportedModel()).contains("stub-model");
        assertThat(gemini.invocations().get(0).argv()).containsExactly("--output-format", "json", "--model", "gemini-2.5-pro");
    }

    @Test
    void invoke_claude401Fixture_isAuthenticationNotRetriable() {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-error-401.json")).exitCode(1)
                .build(dir);
        CliToolAdapter adapter = adapter(builtin("claude-code", claude.binary(), Map.of()));

        assertThatThrownBy(() -> adapter.invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolReportedErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.exitCode()).isEqualTo(1);
                })
                .hasMessageContaining("claude /login");
    }

    @Test
    void invoke_claude429And500Fixtures_areRetriable() {
        for (String file : List.of("claude-2.1.197-error-429.json", "claude-2.1.197-error-500.json")) {
            FakeCli claude = FakeCli.builder().name("claude").stdout(fixture(file)).exitCode(1).build(dir);
            CliToolAdapter adapter = adapter(builtin("claude-code", claude.binary(), Map.of()));

            assertThatThrownBy(() -> adapter.invoke(invocation("hi"))).as(file)
                    .isInstanceOfSatisfying(ToolReportedErrorException.class, e -> assertThat(e.retriable()).isTrue());
        }
    }

    // ---- faults --------------------------------------------------------------------------------

    @Test
    void invoke_binaryNotInstalled_throwsRetriableNotInstalled_andAvailabilitySaysWhy() {
        ToolDefinition tool = custom("ghost", dir.resolve("no-such-dir/ghost-cli").toString(), List.of(),
                PromptMode.STDIN, OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
        CliToolAdapter adapter = adapter(tool);

        assertThat(adapter.availability().installed()).isFalse();
        assertThat(adapter.availability().detail()).contains("ghost-cli");
        assertThatThrownBy(() -> adapter.invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolNotInstalledException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_NOT_INSTALLED);
                })
                .hasMessageContaining("install it or set tools.ghost.binary");
    }

    @Test
    void invoke_nameNotOnPath_throwsNotInstalled() {
        ToolDefinition tool = custom("ghost", "llm-service-surely-not-installed-xyz", List.of(), PromptMode.STDIN,
                OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);

        assertThatThrownBy(() -> adapter(tool).invoke(invocation("hi"))).isInstanceOf(ToolNotInstalledException.class);
    }

    @Test
    void invoke_nonZeroExitWithTransientWording_isRetriable() {
        for (String words : List.of("Error: rate limit exceeded", "HTTP 429", "model is overloaded")) {
            FakeCli onStderr = FakeCli.builder().stderr(words + "\n").exitCode(1).build(dir);
            FakeCli onStdout = FakeCli.builder().stdout(words + "\n").exitCode(2).build(dir);

            assertThatThrownBy(() -> adapter(textTool(onStderr)).invoke(invocation("hi"))).as(words)
                    .isInstanceOfSatisfying(ToolExitException.class, e -> assertThat(e.retriable()).isTrue());
            assertThatThrownBy(() -> adapter(textTool(onStdout)).invoke(invocation("hi"))).as(words)
                    .isInstanceOfSatisfying(ToolExitException.class, e -> assertThat(e.retriable()).isTrue());
        }
    }

    @Test
    void invoke_otherNonZeroExit_isNotRetriable_withExitCodeAndLast2KbOfStderr() {
        String stderr = "FIRST-LINE\n" + "x".repeat(5000) + "\nlast words: disk full\n";
        FakeCli fake = FakeCli.builder().stderr(stderr).exitCode(3).build(dir);

        assertThatThrownBy(() -> adapter(textTool(fake)).invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolExitException.class, e -> {
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.stderrTail()).hasSize(2048).endsWith("last words: disk full\n")
                            .doesNotContain("FIRST-LINE");
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_EXIT);
                })
                .hasMessageContaining("exited with status 3");
    }

    @Test
    void invoke_nonZeroExitWithoutJson_isExitFailure_notOutputError() {
        FakeCli claude = FakeCli.builder().name("claude").stderr("segfault\n").exitCode(139).build(dir);

        assertThatThrownBy(() -> adapter(builtin("claude-code", claude.binary(), Map.of())).invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolExitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(139);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getSuppressed()).hasOnlyElementsOfType(ToolOutputException.class);
                });
    }

    @Test
    void invoke_isErrorWithExitZero_isFailure() {
        String out = "{\"type\":\"result\",\"is_error\":true,\"api_error_status\":null,\"result\":\"Prompt is too long\"}";
        FakeCli claude = FakeCli.builder().name("claude").stdout(out).exitCode(0).build(dir);

        assertThatThrownBy(() -> adapter(builtin("claude-code", claude.binary(), Map.of())).invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolReportedErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_REPORTED_ERROR);
                    assertThat(e.exitCode()).isZero();
                    assertThat(e.retriable()).isFalse();
                })
                .hasMessageContaining("Prompt is too long");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void invoke_timeout_throwsTimeout_andGrandchildIsGoneWithinASecond() throws Exception {
        FakeCli slow = FakeCli.builder().ignoreSigterm().spawnGrandchild(Duration.ofSeconds(60))
                .delay(Duration.ofSeconds(60)).build(dir);
        CliToolAdapter adapter = adapter(textTool(slow));

        assertThatThrownBy(() -> adapter.invoke(invocation("hi", "tool-m", Duration.ofMillis(1500))))
                .isInstanceOfSatisfying(ToolTimeoutException.class, e -> {
                    assertThat(e.retriable()).isTrue();
                    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(1500));
                });

        FakeCli.Invocation call = slow.invocations().get(0);
        long grandchild = call.grandchildPid().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while ((FakeCli.isRunning(grandchild) || FakeCli.isRunning(call.pid())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(FakeCli.isRunning(grandchild)).as("grandchild %s", grandchild).isFalse();
        assertThat(FakeCli.isRunning(call.pid())).as("child %s", call.pid()).isFalse();
    }

    /**
     * codex 0.171 without network: it reports each reconnect as a JSON event on stdout, then
     * "waits for network" until killed. A script prints what the real codex printed (the fixture)
     * and hangs; our timeout's message names the cause.
     */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void invoke_timeoutWhileTheToolRetriesAnUnreachableApi_timeoutNamesTheCause() throws Exception {
        Path output = dir.resolve("codex-output.jsonl");
        Files.writeString(output, fixture("codex-0.171.0-no-network-until-killed.jsonl"));
        Path script = dir.resolve("codex-offline");
        Files.writeString(script, "#!/bin/sh\ncat '" + output + "'\nexec sleep 60\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        CliToolAdapter adapter = adapter(builtin("codex", script, Map.of()));

        assertThatThrownBy(() -> adapter.invoke(invocation("hi", "gpt-5-codex", Duration.ofMillis(1500))))
                .isInstanceOfSatisfying(ToolTimeoutException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("timed out after 1500 ms (the tool kept retrying; could not reach the API:"
                        + " the API's host name could not be resolved)");
    }

    @Test
    void invoke_optionsRenderedIntoArgvAndEnvironment_eachValueOneElement() {
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);
        ToolDefinition tool = ToolDefinition.builder().name("opt").binary(fake.binary().toString())
                .args(List.of("-c", "p.{options.id}={url=\"{options.url}\"}", "{model}"))
                .env(Map.of("KEY_VARIABLE", "{options.key}", "PLAIN", "x"))
                .options(Map.of("id", "local", "url", "http://127.0.0.1:9/v1 two words", "key", "LOCAL_KEY"))
                .model("m", "tool-m").output(OutputSpec.text()).build();

        adapter(tool).invoke(invocation("hi"));

        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.argv()).containsExactly("-c", "p.local={url=\"http://127.0.0.1:9/v1 two words\"}", "tool-m");
        assertThat(call.environment()).containsEntry("KEY_VARIABLE", "LOCAL_KEY").containsEntry("PLAIN", "x");
    }

    @Test
    void construct_unknownOption_isAConfigErrorNamingTheToolsPart() {
        ToolDefinition tool = ToolDefinition.builder().name("opt").binary("opt").args(List.of("--k={options.kee}"))
                .options(Map.of("key", "K")).model("m", "tool-m").output(OutputSpec.text()).build();

        assertThatThrownBy(() -> adapter(tool))
                .isInstanceOf(io.llmservice.ConfigException.class)
                .hasMessageContaining("tools.opt.args: unknown option {options.kee}");
    }

    @Test
    void invoke_200MbFloodWithSmallCap_isCappedAndReported_noOutOfMemory() {
        long flood = 200L * 1024 * 1024;
        FakeCli fake = FakeCli.builder().stdout("answer ").floodStdout(flood).build(dir);
        ToolDefinition tool = custom("flood", fake.binary().toString(), List.of(), PromptMode.STDIN, OutputSpec.text(),
                Map.of(), 1024 * 1024);

        ToolResult r = adapter(tool).invoke(invocation("hi"));

        assertThat(r.text()).startsWith("answer ").hasSize(1024 * 1024);
        assertThat(r.warnings()).contains("stdout capped at 1048576 bytes of " + (flood + "answer ".length()));
    }

    @Test
    void invoke_jsonCutByCap_saysOutputWasCappedAndHowToRaiseIt() {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-success.json")).build(dir);
        ToolDefinition t = builtin("claude-code", claude.binary(), Map.of());
        ToolDefinition capped = t.toBuilder().maxOutputBytes(100).build();

        assertThatThrownBy(() -> adapter(capped).invoke(invocation("hi")))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("output was capped at 100 bytes")
                .hasMessageContaining("raise tools.claude-code.max_output_bytes");
    }

    @Test
    void invoke_notJsonWhereJsonDeclared_quotesFirst200Characters() {
        String out = "Welcome to the interactive mode! " + "blah ".repeat(100);
        FakeCli claude = FakeCli.builder().name("claude").stdout(out).build(dir);

        assertThatThrownBy(() -> adapter(builtin("claude-code", claude.binary(), Map.of())).invoke(invocation("hi")))
                .isInstanceOfSatisfying(ToolOutputException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOOL_OUTPUT_INVALID))
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("\"" + out.substring(0, 200) + "\"");
    }

    @Test
    void invoke_emptyAnswer_isAllowedButWarned() {
        FakeCli fake = FakeCli.builder().stdout("").build(dir);

        ToolResult r = adapter(textTool(fake)).invoke(invocation("hi"));

        assertThat(r.text()).isEmpty();
        assertThat(r.warnings()).contains("the tool's answer is empty");
    }

    @Test
    void invoke_parentSecretNotDeclared_isInvisibleToChild() {
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);
        ToolDefinition tool = custom("t", fake.binary().toString(), List.of(), PromptMode.STDIN, OutputSpec.text(),
                Map.of("DECLARED_TOKEN", "declared-value"), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);

        adapter(tool).invoke(invocation("hi"));

        Map<String, String> env = fake.invocations().get(0).environment();
        assertThat(env).containsEntry("DECLARED_TOKEN", "declared-value")
                .doesNotContainKey("LLM_SERVICE_TEST_PARENT_SECRET")
                .doesNotContainValue("hunter2");
    }

    @Test
    void invoke_workdirPlaceholder_andWorkingDirectory() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work dir"));
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);
        ToolDefinition tool = custom("t", fake.binary().toString(), List.of("--cd={workdir}", "{model}"), PromptMode.STDIN,
                OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
        ToolInvocation inv = ToolInvocation.builder("hi").requestId("r").model("m", "tool-m")
                .timeout(Duration.ofMinutes(1)).workingDirectory(work).build();

        adapter(tool).invoke(inv);

        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.argv()).containsExactly("--cd=" + work.toAbsolutePath(), "tool-m");
        Path real = work.toRealPath();
        assertThat(call.workingDirectory()).hasValueSatisfying(wd -> assertThat(wd.toAbsolutePath().normalize())
                .isIn(real, work.toAbsolutePath().normalize()));
    }

    @Test
    void invoke_threadInterrupted_throwsCancelled_andKeepsInterruptFlag() throws Exception {
        FakeCli slow = FakeCli.builder().delay(Duration.ofSeconds(60)).build(dir);
        CliToolAdapter adapter = adapter(textTool(slow));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                adapter.invoke(invocation("hi"));
            } catch (Throwable t) {
                thrown.set(t);
            }
            flag.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        while (slow.invocationCount() == 0) {
            Thread.sleep(20);
        }
        caller.interrupt();
        caller.join(Duration.ofSeconds(10).toMillis());

        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(CallCancelledException.class);
        assertThat(flag.get()).isTrue();
    }

    // ---- prompts reach the tool byte-exact, in every prompt mode ------------------------------

    static Stream<String> nastyPrompts() {
        return Stream.of(
                "--help",
                "-p",
                "; rm -rf ~",
                "$(id)",
                "`id`",
                "it's \"quoted\" and 'single' \\ back\\slash",
                "line 1\nline 2\r\n\ttabbed\n",
                "%PATH% ^& | < > *.java ~ $HOME ${HOME}",
                "binary-ish \u0001\u0002\u007f\u00ff \u00e9",
                "emoji \uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD",
                "RTL \u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627 \u202Eabc",
                "{model} {prompt} {prompt_file}",
                "");
    }

    @ParameterizedTest
    @MethodSource("nastyPrompts")
    void prompt_onStdin_arrivesByteExact(String prompt) {
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);

        adapter(textTool(fake)).invoke(invocation(prompt));

        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.stdin()).isEqualTo(prompt.getBytes(StandardCharsets.UTF_8));
        assertThat(call.argv()).containsExactly("run");
    }

    @Test
    void prompt_oneMegabyteOnStdin_arrivesByteExact() {
        String prompt = "0123456789abcdef\u00e9\uD83D\uDE00\n".repeat(1024 * 1024 / 24);
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);

        adapter(textTool(fake)).invoke(invocation(prompt));

        assertThat(fake.invocations().get(0).stdin()).isEqualTo(prompt.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("nastyPrompts")
    void prompt_asArgument_staysOneElementByteExact(String prompt) {
        assumeThat(System.getProperty("sun.jnu.encoding", "UTF-8")).as("argv needs a UTF-8 platform encoding")
                .isEqualToIgnoringCase("UTF-8");
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);
        ToolDefinition tool = custom("t", fake.binary().toString(), List.of("--prompt={prompt}", "{prompt}", "--model", "{model}"),
                PromptMode.ARGUMENT, OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);

        adapter(tool).invoke(invocation(prompt));

        FakeCli.Invocation call = fake.invocations().get(0);
        assertThat(call.argv()).containsExactly("--prompt=" + prompt, prompt, "--model", "tool-m");
        assertThat(call.stdin()).isEmpty();
    }

    @Test
    void prompt_asArgumentWithNul_isRefusedRetriably_nothingRuns() {
        FakeCli fake = FakeCli.builder().stdout("ok").build(dir);
        ToolDefinition tool = custom("t", fake.binary().toString(), List.of("{prompt}"), PromptMode.ARGUMENT,
                OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);

        assertThatThrownBy(() -> adapter(tool).invoke(invocation("a\0b")))
                .isInstanceOfSatisfying(ToolException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("NUL");
        assertThat(fake.invocationCount()).isZero();
    }

    /**
     * FakeCli does not read files, so a two-line script shows the prompt file: its permissions,
     * then its content, as the answer.
     */
    @ParameterizedTest
    @MethodSource("nastyPrompts")
    @DisabledOnOs(OS.WINDOWS)
    void prompt_inFile_arrivesByteExact_ownerOnly_andIsDeletedAfterwards(String prompt) throws Exception {
        Path script = dir.resolve("cat-prompt-file");
        Files.writeString(script, "#!/bin/sh\nls -l \"$2\" | cut -c1-10\necho \"$2\"\ncat \"$2\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        ToolDefinition tool = custom("t", script.toString(), List.of("--file", "{prompt_file}"), PromptMode.FILE,
                OutputSpec.text(), Map.of(), ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);

        ToolResult r = adapter(tool).invoke(invocation(prompt));

        String[] head = r.text().split("\n", 3);
        assertThat(head[0]).isEqualTo("-rw-------");
        Path promptFile = Path.of(head[1]);
        assertThat(head.length == 3 ? head[2] : "").isEqualTo(prompt);
        assertThat(promptFile).doesNotExist();
    }

    // ---- a binary that goes away between calls

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void invoke_binaryGoneSinceTheLastCall_runsTheOneNowFirstOnPath_andSaysNotInstalledWhenNoneIsLeft() throws Exception {
        FakeCli first = FakeCli.builder().name("mytool").stdout("from first").build(dir.resolve("a"));
        FakeCli second = FakeCli.builder().name("mytool").stdout("from second").build(dir.resolve("b"));
        Map<String, String> env = parentEnvironment();
        env.put("PATH", first.binary().getParent() + java.io.File.pathSeparator + second.binary().getParent());
        ToolDefinition tool = custom("t", "mytool", List.of("run"), PromptMode.STDIN, OutputSpec.text(), Map.of(),
                ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
        CliToolAdapter adapter = new CliToolAdapter(tool, new AdapterContext(Clock.systemUTC(), env, Os.current(), Ticker.system()));
        adapters.add(adapter);

        assertThat(adapter.invoke(invocation("one")).text()).isEqualTo("from first");

        Files.delete(first.binary());   // uninstalled between two calls, without a new availability check
        assertThat(adapter.invoke(invocation("two")).text()).isEqualTo("from second");
        assertThat(second.invocations()).hasSize(1);

        Files.delete(second.binary());
        assertThatThrownBy(() -> adapter.invoke(invocation("three")))
                .isInstanceOf(ToolNotInstalledException.class)
                .hasMessageContaining("mytool");
    }

    // ---- processes the tool leaves running ------------------------------------------------------

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void invoke_toolLeavingAChild_killsItUnlessLeaveDescendants(boolean leave) throws Exception {
        Path pidFile = dir.resolve("child-" + leave + ".pid");
        Path binary = dir.resolve("leaving-" + leave);
        // The pause lets the runner's descendant polls see the child before the tool exits.
        Files.writeString(binary, "#!/bin/sh\nread -r line || true\nsleep 44 </dev/null >/dev/null 2>&1 &\n"
                + "echo $! > '" + pidFile + "'\nsleep 0.5\nprintf done\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        ToolDefinition t = custom("leaving", binary.toString(), List.of(), PromptMode.STDIN, OutputSpec.text(), Map.of(),
                ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
        ToolDefinition tool = t.toBuilder().leaveDescendants(leave).build();

        ToolResult r = adapter(tool).invoke(invocation("hi"));

        long child = Long.parseLong(Files.readString(pidFile).strip());
        try {
            assertThat(r.text()).isEqualTo("done");
            assertThat(FakeCli.isRunning(child)).as("the child left running, leave_descendants: %s", leave)
                    .isEqualTo(leave);
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    // ---- output written in pieces: parsed once, whole, after the exit --------------------------

    /** A JSON tool whose binary is {@code script}: reads its stdin line, then runs {@code body}. */
    private CliToolAdapter scriptTool(String name, String body) throws Exception {
        return scriptTool(name, body, ToolDefinition.DEFAULT_MAX_OUTPUT_BYTES);
    }

    private CliToolAdapter scriptTool(String name, String body, long maxOutputBytes) throws Exception {
        Path binary = dir.resolve(name);
        Files.writeString(binary, "#!/bin/sh\nread -r line || true\n" + body);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwx------"));
        OutputSpec output = new OutputSpec(OutputFormat.JSON, Map.of(OutputField.TEXT, List.of("$.result")), false);
        return adapter(custom(name, binary.toString(), List.of(), PromptMode.STDIN, output, Map.of(), maxOutputBytes));
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void invoke_documentWrittenBeforeAPause_thenMoreOutput_isJudgedOnTheWholeOutput() throws Exception {
        // The first write is a whole JSON document; the output as a whole is not one.
        CliToolAdapter tool = scriptTool("document-and-more", "printf '{\"result\":\"first\"}'\nsleep 0.3\n"
                + "printf ' and more'\n");

        assertThatThrownBy(() -> tool.invoke(invocation("hi")))
                .isInstanceOf(ToolOutputException.class)
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("{\"result\":\"first\"} and more");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void invoke_documentWrittenInPieces_isParsedWhole() throws Exception {
        CliToolAdapter tool = scriptTool("pieces", "printf '{\"result\":'\nsleep 0.2\nprintf '\"whole\"}'\nsleep 0.2\n"
                + "printf '\\n'\n");

        assertThat(tool.invoke(invocation("hi")).text()).isEqualTo("whole");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void invoke_cappedOutputWhoseKeptPartIsADocument_warnsOfTheCap() throws Exception {
        // 20 bytes kept: the whole document and a few of the spaces after it, parseable as it is.
        CliToolAdapter tool = scriptTool("padded", "printf '{\"result\":\"ok\"}'\nprintf '%100s' ''\n", 20);

        ToolResult r = tool.invoke(invocation("hi"));

        assertThat(r.text()).isEqualTo("ok");
        assertThat(r.warnings()).startsWith("stdout capped at 20 bytes of 115");
    }
}
