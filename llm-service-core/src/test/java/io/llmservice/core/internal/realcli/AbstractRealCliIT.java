package io.llmservice.core.internal.realcli;

import io.llmservice.AllCandidatesFailedException;
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
import java.util.Map;

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

    /** The tool timeout the tests configure: a real CLI answers a stub in one or two seconds. */
    static final Duration TOOL_TIMEOUT = Duration.ofSeconds(15);

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
     * up by itself (claude with the built-in retry setting, gemini with {@code maxAttempts: 1}),
     * {@link Outcome#TIMEOUT} when only our timeout stops it (codex waits for the network).
     */
    abstract Outcome outcomeWhenApiUnreachable();

    /** The exact text, usage, cost and model the CLI must report for the stub's answer. */
    abstract void assertStubAnswer(LlmResponse response);

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
                """.formatted(toolName(), toolOverride(binary, apiBaseUrl).stripTrailing(), TOOL_TIMEOUT.toSeconds(),
                backup.binary(), toolName(), model(), toolName(), model());
        Map<String, String> env = new HashMap<>();
        // node must be on PATH: codex and gemini are node scripts.
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", Files.isDirectory(dir) ? dir.toString() : System.getProperty("java.io.tmpdir"));
        env.put("LANG", "C.UTF-8");
        env.putAll(environment(apiBaseUrl));
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
    void stubAnswersTransientError_retriable_fallbackServes(int status) {
        stub.failWith(status);

        LlmResponse r = service(stub.baseUrl()).route(request("coder")).execute();

        assertThat(r.tool()).isEqualTo("backup");
        assertThat(r.text()).isEqualTo("BACKUP-OK");
        assertThat(r.attempts()).extracting(Attempt::tool, Attempt::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple(toolName(), Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("backup", Outcome.SUCCESS));
        LlmServiceException failure = r.attempts().get(0).failure().orElseThrow();
        assertThat(failure.retriable()).as(failure.getMessage()).isTrue();
        assertThat(stub.generationRequests()).isNotEmpty();
        assertThat(store.findByRequest(r.requestId())).hasSize(2);
    }

    @Test
    void stubAnswers401_authenticationError_withHint_notRetried() {
        stub.failWith(401);
        LlmService llm = service(stub.baseUrl());

        ToolReportedErrorException e = catchThrowableOfType(() -> llm.route(request("coder")).execute(),
                ToolReportedErrorException.class);

        assertThat(e).as("a 401 is reported as an authentication failure").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e.getMessage()).contains("authentication failed").containsAnyOf("log in", "set ");
        assertThat(backup.invocationCount()).as("no fallback after an authentication failure").isZero();
    }

    @Test
    void apiNotListening_builtInEndsTheWayItsPageSays_namingTheCause() {
        String closed = "http://127.0.0.1:" + freePort();
        LlmService llm = service(closed);

        LlmServiceException e = catchThrowableOfType(() -> llm.route(request("solo")).execute(),
                LlmServiceException.class);

        assertThat(e).as("the call fails").isNotNull();
        // Unreachable API is worth a fallback: retriable whichever way the CLI reports it.
        assertThat(e).isInstanceOf(AllCandidatesFailedException.class);
        assertThat(((AllCandidatesFailedException) e).attempts()).singleElement().satisfies(a -> {
            // FAILED: the CLI gave up by itself, before our timeout (claude with the built-in
            // CLAUDE_CODE_MAX_RETRIES); TIMEOUT: our timeout stopped it (codex, docs/tools/codex.md).
            assertThat(a.outcome()).as(e.getMessage()).isEqualTo(outcomeWhenApiUnreachable());
            assertThat(a.failure().orElseThrow().retriable()).isTrue();
        });
        assertThat(e.getMessage()).contains("#1 " + toolName() + "/" + model() + " ", "could not reach the API");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
