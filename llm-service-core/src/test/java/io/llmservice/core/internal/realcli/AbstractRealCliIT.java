package io.llmservice.core.internal.realcli;

import io.llmservice.Attempt;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One real coding-agent CLI, installed from npm by {@code .ci/install-real-clis.sh}, run through
 * {@link LlmService} with its <em>built-in</em> tool definition (only binary and environment
 * overridden) against a {@link LoopbackApiStub} of its vendor's API on 127.0.0.1.
 * Subclasses say how to point their CLI at the stub and which numbers it must report.
 *
 * <p>Each test starts its own stub, throwaway HOME and service, and stops them all.
 */
abstract class AbstractRealCliIT {

    /**
     * The tool timeout the tests configure: long, so that a CLI that is slow to give up shows up
     * as slow instead of being cut short by a timeout that is itself retriable.
     */
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The tool timeout of the hung-API tests whose CLI has no bound of its own (codex, gemini): what
     * they prove is that the tool timeout ends the attempt as a retriable TIMEOUT and the fallback
     * answers, which 10 s shows as well as 60 s; it leaves a loaded machine several seconds to start
     * the CLI and reach the stub (asserted), and saves 50 s per CLI.
     */
    static final Duration HUNG_API_TOOL_TIMEOUT = Duration.ofSeconds(10);
    /** How long a failure may take to reach the fallback or the caller: the CLI must give up by itself. */
    static final Duration FAST_FAILURE = Duration.ofSeconds(10);
    /** Room on a loaded two-core machine above a bound the CLI is configured with. */
    static final Duration SLACK = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    Path home;
    Path workdir;
    LoopbackApiStub stub;
    FakeCli backup;
    final InMemoryTelemetryStore store = new InMemoryTelemetryStore();
    private LlmService service;

    /** The npm binary's name: claude, codex, gemini. */
    abstract String binaryName();

    /** The built-in tool's name: claude-code, codex, gemini-cli. */
    abstract String toolName();

    /** The catalogue model the agent asks for. */
    abstract String model();

    abstract LoopbackApiStub startStub();

    /**
     * The test's {@code tools.<toolName()>} entry (its lines after the name, indented four
     * spaces): {@code extends:} the built-in, another binary, environment only.
     */
    abstract String toolOverride(Path binary, String apiBaseUrl);

    /** What the service's environment adds for this CLI (keys, base URL), besides PATH and HOME. */
    abstract Map<String, String> environment(String apiBaseUrl);

    /** Settings files the CLI needs in its throwaway HOME. */
    void prepareHome(Path home) throws IOException {
    }

    /**
     * How an attempt ends when the API's port is closed: {@link Outcome#FAILED} when the CLI gives
     * up by itself, as every built-in must (claude with {@code CLAUDE_CODE_MAX_RETRIES=0}, codex
     * with {@code features.unbounded_connection_retries=false}, gemini with {@code maxAttempts: 1}).
     */
    abstract Outcome outcomeWhenApiUnreachable();

    /** The exact text, usage, cost and model the CLI must report for the stub's answer. */
    abstract void assertStubAnswer(LlmResponse response);

    /**
     * What the service's environment adds when the API hangs, to shorten the CLI's own bound
     * (claude: {@code API_TIMEOUT_MS}); empty when only the tool timeout bounds it.
     */
    Map<String, String> hungApiEnvironment() {
        return Map.of();
    }

    /**
     * The tool timeout of {@link #apiHangs_fallbackServesWithinTheConfiguredBound}: short when only
     * the tool timeout bounds the hung call; the long {@link #TOOL_TIMEOUT} when the CLI's own bound
     * ({@link #hungApiEnvironment()}) must end it first.
     */
    Duration hungApiToolTimeout() {
        return HUNG_API_TOOL_TIMEOUT;
    }

    /** The time within which a hung API must have led to the fallback: the CLI's bound, or the tool timeout. */
    Duration hungApiBound() {
        return hungApiToolTimeout();
    }

    /** How the attempt ends when the API hangs: FAILED when the CLI gives up, TIMEOUT when our timeout stops it. */
    Outcome outcomeWhenApiHangs() {
        return Outcome.TIMEOUT;
    }

    /** The directory under the throwaway HOME where the CLI keeps transcripts of its conversations. */
    Path transcriptDirectory(Path home) {
        return Assumptions.abort("no transcript directory known for " + binaryName());
    }

    /**
     * Puts the CLI's workspace configuration into {@code workdir} (MCP servers, hooks) such that
     * running any of it creates {@code marker}.
     */
    void plantWorkspaceConfig(Path workdir, Path marker) throws IOException {
        Assumptions.abort("no workspace configuration known for " + binaryName());
    }

    @BeforeEach
    void setUp() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        workdir = Files.createDirectories(dir.resolve("work"));
        prepareHome(home);
        stub = startStub();
        backup = FakeCli.builder().name("backup").stdout("{\"text\":\"BACKUP-OK\"}").build(dir.resolve("backup"));
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        stub.close();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse(""))
                .filter(c -> c.contains("real-cli") || c.contains("node")))
                .as("no real CLI process outlives the test").isEmpty();
    }

    LlmService service(String apiBaseUrl) {
        return service(apiBaseUrl, Map.of());
    }

    LlmService service(String apiBaseUrl, Map<String, String> extraEnvironment) {
        return service(apiBaseUrl, extraEnvironment, TOOL_TIMEOUT);
    }

    LlmService service(String apiBaseUrl, Map<String, String> extraEnvironment, Duration toolTimeout) {
        Path binary = RealCliInstallation.binary(binaryName());
        String yaml = """
                tools:
                  %s:
                %s
                    timeout: %ds
                  backup:
                    type: cli
                    binary: "%s"
                    args: []
                    prompt: stdin
                    models: {claude-haiku-4-5: haiku}
                    output: {format: json, text: $.text}
                agents:
                  coder:
                    tool: %s
                    model: %s
                    fallbacks: [{tool: backup, model: claude-haiku-4-5}]
                  solo:
                    tool: %s
                    model: %s
                """.formatted(toolName(), toolOverride(binary, apiBaseUrl).stripTrailing(), toolTimeout.toSeconds(),
                backup.binary(), toolName(), model(), toolName(), model());
        Map<String, String> env = new HashMap<>();
        // node must be on PATH: codex and gemini are node scripts.
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", Files.isDirectory(dir) ? dir.toString() : System.getProperty("java.io.tmpdir"));
        env.put("LANG", "C.UTF-8");
        env.putAll(environment(apiBaseUrl));
        env.putAll(extraEnvironment);
        if (service != null) {
            service.close();
        }
        service = LlmService.builder().config(ConfigSource.text(toolName() + "-realcli.yaml", yaml))
                .environment(env).telemetryStore(store).build();
        return service;
    }

    LlmRequest request(String agent) {
        return LlmRequest.builder("Answer with the word the stub gives you.").agent(agent).workingDirectory(workdir)
                .build();
    }

    @Test
    void stubAnswers_textUsageAndCostArriveExactly_inResponseAndTelemetry() {
        LlmResponse r = service(stub.baseUrl()).route(request("coder")).execute();

        assertThat(r.tool()).isEqualTo(toolName());
        assertThat(r.model()).isEqualTo(model());
        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertStubAnswer(r);
        assertThat(r.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.SUCCESS);
        assertThat(stub.generationRequests()).as("the CLI asked the stub, not the vendor").isNotEmpty();
        assertThat(backup.invocationCount()).isZero();

        InvocationRecord rec = store.findByRequest(r.requestId()).get(0);
        assertThat(rec.tool()).isEqualTo(toolName());
        assertThat(rec.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(rec.usage()).isEqualTo(r.usage());
        assertThat(rec.costUsd()).isEqualTo(r.costUsd());
        assertThat(rec.costSource()).isEqualTo(r.costSource());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500})
    void stubAnswersTransientError_retriable_fallbackServesWithinTenSeconds(int status) {
        stub.failWith(status);
        LlmService llm = service(stub.baseUrl());

        long start = System.nanoTime();
        LlmResponse r = llm.route(request("coder")).execute();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.tool()).isEqualTo("backup");
        assertThat(r.text()).isEqualTo("BACKUP-OK");
        assertThat(r.attempts()).extracting(Attempt::tool, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(toolName(), Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("backup", Outcome.SUCCESS));
        LlmServiceException failure = r.attempts().get(0).failure().orElseThrow();
        assertThat(failure.retriable()).as(failure.getMessage()).isTrue();
        assertThat(took).as("the CLI leaves retrying to our fallback (%d requests)", stub.generationRequests().size())
                .isLessThanOrEqualTo(FAST_FAILURE);
        assertThat(stub.generationRequests()).isNotEmpty();
        assertThat(store.findByRequest(r.requestId())).hasSize(2);
    }

    @Test
    void stubAnswers401_authenticationError_withHint_notRetried_withinTenSeconds() {
        stub.failWith(401);
        LlmService llm = service(stub.baseUrl());

        long start = System.nanoTime();
        ToolReportedErrorException e = catchThrowableOfType(() -> llm.route(request("coder")).execute(),
                ToolReportedErrorException.class);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(e).as("a 401 is reported as an authentication failure").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("authentication failed").containsAnyOf("log in", "set ");
        assertThat(backup.invocationCount()).as("no fallback after an authentication failure").isZero();
        assertThat(took).as("the CLI does not retry a 401 (%d requests)", stub.generationRequests().size())
                .isLessThanOrEqualTo(FAST_FAILURE);
    }

    @Test
    void apiNotListening_retriable_fallbackServesWithinTenSeconds_namingTheCause() {
        String closed = "http://127.0.0.1:" + freePort();
        LlmService llm = service(closed);

        long start = System.nanoTime();
        LlmResponse r = llm.route(request("coder")).execute();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.tool()).isEqualTo("backup");
        Attempt first = r.attempts().get(0);
        LlmServiceException failure = first.failure().orElseThrow();
        // FAILED: the CLI gave up by itself, not our timeout.
        assertThat(first.outcome()).as(failure.getMessage()).isEqualTo(outcomeWhenApiUnreachable());
        assertThat(failure.retriable()).isTrue();
        assertThat(failure.getMessage()).contains("could not reach the API");
        assertThat(took).isLessThanOrEqualTo(FAST_FAILURE);
    }

    @Test
    void apiHangs_fallbackServesWithinTheConfiguredBound() {
        stub.hang();
        Map<String, String> extra = hungApiEnvironment();
        LlmService llm = service(stub.baseUrl(), extra, hungApiToolTimeout());

        long start = System.nanoTime();
        LlmResponse r = llm.route(request("coder")).execute();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.tool()).isEqualTo("backup");
        Attempt first = r.attempts().get(0);
        assertThat(first.outcome()).as(first.failure().map(Throwable::getMessage).orElse(""))
                .isEqualTo(outcomeWhenApiHangs());
        assertThat(first.failure().orElseThrow().retriable()).isTrue();
        assertThat(stub.requests()).as("the CLI reached the hung API").isNotEmpty();
        assertThat(took).as("bounded by %s", extra.isEmpty() ? "the tool timeout" : extra)
                .isLessThanOrEqualTo(hungApiBound().plus(SLACK));
    }

    @Test
    void successfulCall_leavesNoTranscriptOnDisk() throws IOException {
        Path transcripts = transcriptDirectory(home);

        LlmResponse r = service(stub.baseUrl()).route(request("solo")).execute();

        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(regularFiles(transcripts)).as("files under " + transcripts).isEmpty();
    }

    @Test
    void workspaceConfigInWorkingDirectory_isNotExecuted() throws IOException {
        Path marker = dir.resolve("workspace-config-ran");
        plantWorkspaceConfig(workdir, marker);

        LlmResponse r = service(stub.baseUrl()).route(request("solo")).execute();

        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(marker).as("a command from the working directory's configuration ran").doesNotExist();
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
