package io.llmservice.core.internal.realcli;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.ToolReportedErrorException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.llmservice.core.internal.realcli.GeminiApiStub.CACHED;
import static io.llmservice.core.internal.realcli.GeminiApiStub.CANDIDATES;
import static io.llmservice.core.internal.realcli.GeminiApiStub.PROMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The real {@code gemini} (npm {@code @google/gemini-cli} 0.61.0) behind the built-in
 * {@code gemini-cli} definition, talking to {@link GeminiApiStub} through
 * {@code GOOGLE_GEMINI_BASE_URL}. Nothing is prepared for it but the key and the base URL: the
 * built-in's private settings file selects API-key auth, one attempt, no telemetry; the user's own
 * {@code ~/.gemini/settings.json} (here one asking for Google login) is left as it was.
 *
 * <p>gemini reads a system settings file only when no directory above it is writable by others, so
 * the data directory of these tests is a private one: under the build directory when that is safe,
 * else under the user's home ({@link #privateDataDirectory()}).
 */
class RealCliGeminiIT extends AbstractRealCliIT {

    /** A failure that the CLI reports by itself must reach the caller within this. */
    static final Duration FAILURE_BOUND = Duration.ofSeconds(10);

    /** The user's own settings: another auth method, which our settings file must override without touching this. */
    static final String USER_SETTINGS = "{\"security\": {\"auth\": {\"selectedType\": \"oauth-personal\"}},"
            + " \"ui\": {\"theme\": \"GitHub\"}}\n";

    private Path dataDirectory;

    @Override
    Outcome outcomeWhenApiUnreachable() {
        return Outcome.FAILED;
    }

    @Override
    String binaryName() {
        return "gemini";
    }

    @Override
    String toolName() {
        return "gemini-cli";
    }

    @Override
    String model() {
        return "gemini-2.5-pro";
    }

    @Override
    LoopbackApiStub startStub() {
        return new GeminiApiStub();
    }

    @Override
    void prepareHome(Path home) throws IOException {
        Files.writeString(Files.createDirectories(home.resolve(".gemini")).resolve("settings.json"), USER_SETTINGS);
    }

    @Override
    String toolOverride(Path binary, String apiBaseUrl) {
        return """
                    extends: gemini-cli
                    binary: "%s"
                """.formatted(binary);
    }

    @Override
    Map<String, String> environment(String apiBaseUrl) {
        return Map.of("GEMINI_API_KEY", "stub-gemini-key", "GOOGLE_GEMINI_BASE_URL", apiBaseUrl,
                "XDG_DATA_HOME", privateDataDirectory().toString());
    }

    @Override
    void assertStubAnswer(LlmResponse r) {
        // gemini's prompt count includes the cached tokens; the library splits them.
        assertThat(r.usage().inputTokens()).hasValue(PROMPT - CACHED);
        assertThat(r.usage().cacheReadTokens()).hasValue(CACHED);
        assertThat(r.usage().outputTokens()).hasValue(CANDIDATES);
        // computed from gemini-2.5-pro list prices (1.25 / 10 / cache read 0.125 per M):
        // 100 x 1.25 + 23 x 0.125 + 45 x 10 = 577.875 micro-dollars.
        assertThat(r.costSource()).isEqualTo(CostSource.COMPUTED);
        assertThat(r.costUsd()).hasValueSatisfying(c -> assertThat(c).isEqualByComparingTo(new BigDecimal("0.000577875")));
        assertThat(r.reportedModel()).contains("gemini-2.5-pro");
    }

    /**
     * A data directory no other user can write to, nor any directory above it: gemini 0.61 skips a
     * system settings file otherwise ("Security Warning: Skipping system settings file ...").
     */
    Path privateDataDirectory() {
        if (dataDirectory == null) {
            try {
                Path build = Path.of("target").toAbsolutePath();
                Path base = Files.isDirectory(build) && safeChain(build) ? build
                        : Files.createDirectories(Path.of(System.getProperty("user.home"), ".cache"));
                dataDirectory = Files.createTempDirectory(base, "llm-service-gemini-it-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataDirectory;
    }

    private static boolean safeChain(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return false;
            }
        }
        return true;
    }

    @AfterEach
    void deleteDataDirectory() throws IOException {
        if (dataDirectory != null) {
            try (Stream<Path> files = Files.walk(dataDirectory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Duration timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    // The common tests below are covered for gemini by stricter ones in this class (one request to the
    // API, one-line messages, the bad-key 400); running both would only add a minute of gemini calls.
    private static final String COVERED_HERE = "covered for gemini by a stricter test of RealCliGeminiIT";

    @Override
    @Disabled(COVERED_HERE + ": stubAnswersTransientError_fallsBackWithinTenSeconds_afterOneAttempt")
    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500})
    void stubAnswersTransientError_retriable_fallbackServesWithinTenSeconds(int status) {
    }

    @Override
    @Disabled(COVERED_HERE + ": stubRejectsKey_authenticationError_namingTheKeyVariable_withinTenSeconds_noFallback")
    @Test
    void stubAnswers401_authenticationError_withHint_notRetried_withinTenSeconds() {
    }

    @Override
    @Disabled(COVERED_HERE + ": connectionRefused_fallsBackWithinTenSeconds_namingTheCause")
    @Test
    void apiNotListening_retriable_fallbackServesWithinTenSeconds_namingTheCause() {
    }

    @Override
    @Disabled(COVERED_HERE + ": hungApi_fallsBackAtTheToolTimeout")
    @Test
    void apiHangs_fallbackServesWithinTheConfiguredBound() {
    }

    @Override
    @Disabled(COVERED_HERE + ": afterCalls_noTranscriptNoErrorReportLeftAnywhere")
    @Test
    void successfulCall_leavesNoTranscriptOnDisk() {
    }

    @Override
    @Disabled(COVERED_HERE + ": workspaceCommands_mcpServerDiscoveryHook_doNotRun_andUserSettingsAreUntouched")
    @Test
    void workspaceConfigInWorkingDirectory_isNotExecuted() {
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 400})
    void stubRejectsKey_authenticationError_namingTheKeyVariable_withinTenSeconds_noFallback(int status) {
        // 400: Google's real answer to a wrong API key (INVALID_ARGUMENT, API_KEY_INVALID).
        stub.failWith(status);
        LlmService llm = service(stub.baseUrl());

        ToolReportedErrorException[] thrown = new ToolReportedErrorException[1];
        Duration took = timed(() -> thrown[0] = catchThrowableOfType(() -> llm.route(request("coder")).execute(),
                ToolReportedErrorException.class));

        ToolReportedErrorException e = thrown[0];
        assertThat(e).as("HTTP %d is reported as an authentication failure", status).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.TOOL_AUTHENTICATION);
        assertThat(e.retriable()).isFalse();
        assertThat(e.errorStatus()).hasValue(status);
        assertThat(e.getMessage()).contains("GEMINI_API_KEY").doesNotContain("\n").doesNotContain("    at ");
        assertThat(took).as("gemini gives up at once with maxAttempts 1").isLessThanOrEqualTo(FAILURE_BOUND);
        assertThat(stub.generationRequests()).as("one attempt, no retries").hasSize(1);
        assertThat(backup.invocationCount()).isZero();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500})
    void stubAnswersTransientError_fallsBackWithinTenSeconds_afterOneAttempt(int status) {
        stub.failWith(status);
        LlmService llm = service(stub.baseUrl());

        LlmResponse[] response = new LlmResponse[1];
        Duration took = timed(() -> response[0] = llm.route(request("coder")).execute());

        assertThat(response[0].tool()).isEqualTo("backup");
        LlmServiceException failure = response[0].attempts().get(0).failure().orElseThrow();
        assertThat(failure.retriable()).isTrue();
        assertThat(failure.getMessage()).contains("HTTP " + status).doesNotContain("\n");
        assertThat(took).isLessThanOrEqualTo(FAILURE_BOUND);
        assertThat(stub.generationRequests()).as("one attempt, no retries").hasSize(1);
    }

    @Test
    void connectionRefused_fallsBackWithinTenSeconds_namingTheCause() {
        LlmService llm = service("http://127.0.0.1:" + freePort());

        LlmResponse[] response = new LlmResponse[1];
        Duration took = timed(() -> response[0] = llm.route(request("coder")).execute());

        assertThat(response[0].tool()).isEqualTo("backup");
        Attempt first = response[0].attempts().get(0);
        assertThat(first.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(first.failure().orElseThrow().getMessage()).contains("could not reach the API");
        assertThat(took).isLessThanOrEqualTo(FAILURE_BOUND);
    }

    @Test
    void hungApi_fallsBackAtTheToolTimeout() {
        ((GeminiApiStub) stub).hang();
        LlmService llm = service(stub.baseUrl(), Map.of(), HUNG_API_TOOL_TIMEOUT);

        LlmResponse[] response = new LlmResponse[1];
        Duration took = timed(() -> response[0] = llm.route(request("coder")).execute());

        assertThat(response[0].tool()).isEqualTo("backup");
        assertThat(response[0].attempts().get(0).outcome()).isEqualTo(Outcome.TIMEOUT);
        assertThat(stub.requests()).as("gemini reached the hung API before the tool timeout").isNotEmpty();
        // No setting of gemini 0.61 bounds a request that never answers: the tool timeout does, and nothing more.
        assertThat(took).isLessThan(HUNG_API_TOOL_TIMEOUT.plusSeconds(20));
    }

    @Test
    void workspaceCommands_mcpServerDiscoveryHook_doNotRun_andUserSettingsAreUntouched() throws IOException {
        Path marker = dir.resolve("mcp-server-ran");
        Path discovered = dir.resolve("discovery-ran");
        Path hooked = dir.resolve("hook-ran");
        // Each of these made gemini 0.61 run the command when the built-in did not override it (checked by hand).
        Files.writeString(Files.createDirectories(workdir.resolve(".gemini")).resolve("settings.json"),
                "{\"mcpServers\": {\"evil\": {\"command\": \"sh\", \"args\": [\"-c\", \"touch '" + marker
                        + "'; sleep 5\"]}},"
                        + " \"tools\": {\"discoveryCommand\": \"touch '" + discovered + "'; echo []\"},"
                        + " \"hooks\": {\"SessionStart\": [{\"hooks\": [{\"type\": \"command\", \"command\": \"touch '"
                        + hooked + "'\"}]}]}}");
        Path userSettings = home.resolve(".gemini").resolve("settings.json");

        LlmResponse r = service(stub.baseUrl()).route(request("coder")).execute();

        assertThat(r.tool()).as("it answered: our settings (API-key auth) won over the user's oauth choice")
                .isEqualTo("gemini-cli");
        assertThat(marker).as("the working directory's MCP server was not started").doesNotExist();
        assertThat(discovered).as("nor its tool-discovery command").doesNotExist();
        assertThat(hooked).as("nor its hook").doesNotExist();
        assertThat(Files.readString(userSettings)).isEqualTo(USER_SETTINGS);
        Path ours = privateDataDirectory().resolve("llm-service").resolve("tools").resolve("gemini-cli")
                .resolve("settings.json");
        assertThat(Files.readString(ours)).contains("\"maxAttempts\":1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ours))).isEqualTo("rw-------");
    }

    @Test
    void afterCalls_noTranscriptNoErrorReportLeftAnywhere() throws IOException {
        LlmService llm = service(stub.baseUrl());
        assertThat(llm.route(request("solo")).execute().text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        stub.failWith(500);
        assertThat(llm.route(request("coder")).execute().tool()).isEqualTo("backup");

        // gemini 0.61 records each call under <home>/.gemini/tmp/<dir>/chats and, on an API error, writes
        // $TMPDIR/gemini-client-error-*.json with the whole conversation: both went to the call's own
        // directory, deleted after it.
        try (Stream<Path> left = Files.walk(dir)) {
            assertThat(left.map(Path::toString).filter(p -> p.contains("/chats/") || p.contains("gemini-client-error")
                    || p.endsWith(".jsonl"))).isEmpty();
        }
        Path calls = privateDataDirectory().resolve("llm-service").resolve("tools").resolve("gemini-cli").resolve("calls");
        try (Stream<Path> left = Files.list(calls)) {
            assertThat(left).as("every call's directory is deleted").isEmpty();
        }
        assertThat(home.resolve(".gemini").resolve("tmp")).doesNotExist();
    }

    @Test
    void allCandidatesFail_messageIsOneLinePerAttempt() {
        stub.failWith(500);
        LlmService llm = service(stub.baseUrl());

        AllCandidatesFailedException e = catchThrowableOfType(() -> llm.route(request("solo")).execute(),
                AllCandidatesFailedException.class);

        assertThat(e).isNotNull();
        assertThat(e.attempts()).singleElement().satisfies(a ->
                assertThat(a.failure().orElseThrow().getMessage()).doesNotContain("\n").hasSizeLessThan(600));
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
