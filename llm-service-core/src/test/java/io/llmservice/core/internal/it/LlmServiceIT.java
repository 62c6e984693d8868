package io.llmservice.core.internal.it;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.CallCancelledException;
import io.llmservice.Candidate;
import io.llmservice.ConfigSource;
import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.Outcome;
import io.llmservice.RoutedCall;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.testkit.FakeCli;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole library through its public API, with real subprocesses (FakeCli) behind the
 * built-in tool definitions and YAML-only tools.
 */
class LlmServiceIT {
    @TempDir
    Path dir;

    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private final List<LlmService> services = new ArrayList<>();

    @AfterEach
    void closeAll() {
        services.forEach(LlmService::close);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> FakeCli.isRunning(p.pid()))).as("no tool process outlives the test").isEmpty();
    }

    private static String fixture(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/real-cli", name), StandardCharsets.UTF_8);
    }

    private LlmService service(String yaml) {
        return service(yaml, Map.of());
    }

    private LlmService service(String yaml, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", dir.toString());
        env.putAll(extraEnv);
        LlmService llm = LlmService.builder().config(ConfigSource.text("it.yaml", yaml)).environment(env)
                .telemetryStore(store).build();
        services.add(llm);
        return llm;
    }

    /** The built-in claude-code and codex, only their binaries replaced. */
    private static String reviewerConfig(Path claude, Path codex) {
        return """
                tools:
                  claude-code: {extends: claude-code, binary: "%s"}
                  codex: {extends: codex, binary: "%s"}
                agents:
                  reviewer:
                    team: platform
                    tool: claude-code
                    model: claude-sonnet-4-5
                    fallbacks: [{tool: codex, model: gpt-5-codex}]
                """.formatted(claude, codex);
    }

    @Test
    void builtInClaudeDefinition_realOutput_arrivesExactlyInResponseAndTelemetry() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-success.json")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")));

        LlmResponse r = llm.route(LlmRequest.builder("Review this diff").agent("reviewer").build()).execute();

        assertThat(r.text()).isEqualTo("STUB-OK");
        assertThat(r.tool()).isEqualTo("claude-code");
        assertThat(r.model()).isEqualTo("claude-sonnet-4-5");
        assertThat(r.reportedModel()).contains("claude-sonnet-5");
        assertThat(r.usage().inputTokens()).hasValue(123);
        assertThat(r.usage().outputTokens()).hasValue(45);
        assertThat(r.usage().cacheReadTokens()).hasValue(0);
        assertThat(r.costUsd()).contains(new BigDecimal("0.001044"));
        assertThat(r.costSource()).isEqualTo(CostSource.TOOL_REPORTED);

        FakeCli.Invocation call = claude.invocations().get(0);
        assertThat(call.argv()).containsExactly("-p", "--output-format", "json", "--model", "claude-sonnet-4-5",
                "--strict-mcp-config", "--setting-sources", "user", "--no-session-persistence");
        assertThat(call.stdinText()).isEqualTo("Review this diff");

        InvocationRecord rec = store.findByRequest(r.requestId()).get(0);
        assertThat(rec.usage()).isEqualTo(r.usage());
        assertThat(rec.costUsd()).contains(new BigDecimal("0.001044"));
        assertThat(rec.team()).contains("platform");
    }

    @Test
    void missingUsageFields_usageUnknownNotZero_andSaidSo() {
        FakeCli claude = FakeCli.builder().name("claude")
                .stdout("{\"type\":\"result\",\"is_error\":false,\"result\":\"ok\"}").build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")));

        LlmResponse r = llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute();

        assertThat(r.usage().inputTokens()).isEmpty();
        assertThat(r.usage().outputTokens()).isEmpty();
        assertThat(r.costUsd()).isEmpty();
        assertThat(r.costSource()).isEqualTo(CostSource.UNKNOWN);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("input_tokens"));
        assertThat(store.findByRequest(r.requestId()).get(0).usage().isKnown()).isFalse();
    }

    @Test
    void builtInCodexDefinition_realOutput_parsedWithComputedCost() throws IOException {
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl")).build(dir);
        LlmService llm = service(reviewerConfig(dir.resolve("no-claude"), codex.binary()));

        LlmResponse r = llm.route(LlmRequest.builder("Fix it").agent("reviewer").build()).execute();

        assertThat(r.text()).isEqualTo("STUB-OK");
        assertThat(r.tool()).isEqualTo("codex");
        // 123 x $1.25/M + 45 x $10/M = 0.00015375 + 0.00045
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo("0.00060375"));
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
        assertThat(codex.invocations().get(0).argv()).endsWith("--model", "gpt-5-codex", "--ephemeral", "-");
    }

    @Test
    void primaryNotInstalled_fallbackServes_planSaysWhy_bothAttemptsRecorded() throws IOException {
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl")).build(dir);
        LlmService llm = service(reviewerConfig(dir.resolve("missing/claude"), codex.binary()));

        RoutedCall call = llm.route(LlmRequest.builder("Review").agent("reviewer").build());
        assertThat(call.plan().excluded()).singleElement().satisfies(c -> {
            assertThat(c.tool()).isEqualTo("claude-code");
            assertThat(c.reason()).startsWith("not installed: ");
        });
        LlmResponse r = call.execute();
        assertThat(r.tool()).isEqualTo("codex");
        assertThat(codex.invocationCount()).isEqualTo(1);
    }

    @Test
    void rateLimitedPrimary_retriable_fallbackRuns_andEveryAttemptRecorded() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-error-429.json"))
                .exitCode(1).build(dir);
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), codex.binary()));

        LlmResponse r = llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute();

        assertThat(r.tool()).isEqualTo("codex");
        assertThat(r.attempts()).extracting(Attempt::tool, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("claude-code", Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("codex", Outcome.SUCCESS));
        assertThat(r.attempts().get(0).failure()).hasValueSatisfying(e -> assertThat(e.retriable()).isTrue());
        assertThat(store.findByRequest(r.requestId())).hasSize(2);
    }

    @Test
    void authenticationFailure_notRetried_reportedWithHint() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-error-401.json"))
                .exitCode(1).build(dir);
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), codex.binary()));

        assertThatThrownBy(() -> llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute())
                .isInstanceOfSatisfying(ToolReportedErrorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.errorStatus()).hasValue(401);
                });
        assertThat(codex.invocationCount()).isZero();
    }

    @Test
    void plainNonZeroExit_notRetriable_carriesExitCodeAndStderrTail() {
        FakeCli claude = FakeCli.builder().name("claude").stderr("x".repeat(5000) + "\nerror: unknown option --frob")
                .exitCode(3).build(dir);
        FakeCli codex = FakeCli.builder().name("codex").stdout("{}").build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), codex.binary()));

        assertThatThrownBy(() -> llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute())
                .isInstanceOfSatisfying(ToolExitException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(3);
                    assertThat(e.stderrTail()).endsWith("error: unknown option --frob").hasSizeLessThanOrEqualTo(2048);
                });
        assertThat(codex.invocationCount()).isZero();
    }

    @Test
    void timeout_killsTreeIncludingGrandchild_andNextCandidateRuns() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").spawnGrandchild(Duration.ofMinutes(5))
                .delay(Duration.ofMinutes(5)).stdout("{}").build(dir);
        FakeCli codex = FakeCli.builder().name("codex").stdout(fixture("codex-0.169.0-success.jsonl")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), codex.binary()));

        LlmResponse r = llm.route(LlmRequest.builder("Review").agent("reviewer").timeout(Duration.ofMillis(1500))
                .build()).execute();

        assertThat(r.tool()).isEqualTo("codex");
        assertThat(r.attempts().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        FakeCli.Invocation slow = claude.invocations().get(0);
        assertThat(slow.grandchildPid()).isPresent();
        assertThat(FakeCli.isRunning(slow.grandchildPid().get())).isFalse();
        assertThat(FakeCli.isRunning(slow.pid())).isFalse();
    }

    @Test
    void everyCandidateFails_allCandidatesFailedCarriesEachCause() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-error-500.json"))
                .exitCode(1).build(dir);
        FakeCli codex = FakeCli.builder().name("codex").stderr("stream error: 503 Service Unavailable")
                .exitCode(1).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), codex.binary()));

        assertThatThrownBy(() -> llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute())
                .isInstanceOfSatisfying(AllCandidatesFailedException.class, e -> {
                    assertThat(e.attempts()).hasSize(2);
                    assertThat(e.attempts()).allSatisfy(a -> assertThat(a.failure().orElseThrow().retriable())
                            .isTrue());
                });
    }

    @Test
    void cancelMidRun_killsProcess_andCallEndsCancelled() throws Exception {
        FakeCli claude = FakeCli.builder().name("claude").delay(Duration.ofMinutes(5)).stdout("{}").build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")));
        RoutedCall call = llm.route(LlmRequest.builder("Review").agent("reviewer").build());
        CompletableFuture<LlmResponse> f = call.executeAsync();
        waitFor(() -> claude.invocationCount() == 1);
        call.cancel();

        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        waitFor(() -> !FakeCli.isRunning(claude.invocations().get(0).pid()));
    }

    @Test
    void close_killsLiveChildren() throws Exception {
        FakeCli claude = FakeCli.builder().name("claude").delay(Duration.ofMinutes(5)).stdout("{}").build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")));
        CompletableFuture<LlmResponse> f = llm.route(LlmRequest.builder("Review").agent("reviewer").build())
                .executeAsync();
        waitFor(() -> claude.invocationCount() == 1);
        long pid = claude.invocations().get(0).pid();
        llm.close();
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CallCancelledException.class);
        waitFor(() -> !FakeCli.isRunning(pid));
    }

    @Test
    void customAdapterTypeRegisteredOnlyByServiceLoader_isUsableFromYaml() {
        LlmService llm = service("""
                tools:
                  echo:
                    type: echo-test
                    models: {claude-haiku-4-5: haiku}
                    options: {prefix: "echo: "}
                agents:
                  shouter: {tool: echo, model: claude-haiku-4-5}
                """);
        LlmResponse r = llm.route(LlmRequest.builder("hello").agent("shouter").build()).execute();
        assertThat(r.text()).isEqualTo("echo: HELLO via haiku");
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
    }

    @Test
    void toolAddedByYamlAlone_routesAndRunsWithItsOwnArgsAndOutputPaths() {
        FakeCli aider = FakeCli.builder().name("aider").stdout("{\"answer\": {\"text\": \"done\"}, \"tokens\": {\"in\": 7, \"out\": 2}}")
                .build(dir);
        LlmService llm = service("""
                tools:
                  aider:
                    type: cli
                    binary: "%s"
                    args: ["--message={prompt}", "--model", "{model}", "--yes"]
                    prompt: argument
                    models: {claude-sonnet-4-5: sonnet}
                    output:
                      format: json
                      text: $.answer.text
                      input_tokens: $.tokens.in
                      output_tokens: $.tokens.out
                agents:
                  helper: {tool: aider, model: claude-sonnet-4-5}
                """.formatted(aider.binary()));
        String prompt = "--help; rm -rf ~ $(id) `whoami` \"quoted\" 'single'\nsecond line \u202Eevil\u202C 😀";
        LlmResponse r = llm.route(LlmRequest.builder(prompt).agent("helper").build()).execute();

        assertThat(r.text()).isEqualTo("done");
        assertThat(r.usage().inputTokens()).hasValue(7);
        assertThat(aider.invocations().get(0).argv())
                .containsExactly("--message=" + prompt, "--model", "sonnet", "--yes");
    }

    @Test
    void parentSecretNotDeclared_isInvisibleToTheTool() throws IOException {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-success.json")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")),
                Map.of("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI", "ANTHROPIC_API_KEY", "sk-ant-test-key-123456"));
        llm.route(LlmRequest.builder("Review").agent("reviewer").build()).execute();

        Map<String, String> env = claude.invocations().get(0).environment();
        assertThat(env).doesNotContainKey("AWS_SECRET_ACCESS_KEY");
        assertThat(env).containsEntry("ANTHROPIC_API_KEY", "sk-ant-test-key-123456");
    }

    @Test
    void twoHundredConcurrentExecutes_completeWithoutDeadlockOrZombies() throws Exception {
        FakeCli claude = FakeCli.builder().name("claude").stdout(fixture("claude-2.1.197-success.json")).build(dir);
        LlmService llm = service(reviewerConfig(claude.binary(), dir.resolve("no-codex")));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<CompletableFuture<LlmResponse>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                LlmRequest req = LlmRequest.builder("request " + i).agent("reviewer").build();
                all.add(CompletableFuture.supplyAsync(() -> llm.route(req).execute(), pool));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            assertThat(all).allSatisfy(f -> assertThat(f.join().text()).isEqualTo("STUB-OK"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(claude.invocationCount()).isEqualTo(200);
        assertThat(store.all()).hasSize(200);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
