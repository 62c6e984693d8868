package io.llmservice.core.internal.realcli;

import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.Session;
import io.llmservice.core.internal.realcli.LoopbackApiStub.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions of the real CLIs with their built-in {@code session:} blocks, against the same vendor
 * stubs, throwaway HOMEs and tool overrides as {@link RealCliClaudeIT}, {@link RealCliCodexIT}
 * and {@link RealCliGeminiIT} (borrowed from them, so a CLI is set up in one place): a kept
 * session is continued by the second request, which sends turn 1 to the API as the CLI keeps it;
 * a request without a session leaves no transcript.
 */
class RealCliSessionIT {
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final String TURN_1 = "Remember the word PAPAYA-17.";
    private static final String TURN_2 = "Which word did I ask you to remember?";

    @TempDir
    Path dir;

    private LoopbackApiStub stub;
    private LlmService service;

    /** Where each CLI writes its transcripts, below HOME, and which files there are transcripts. */
    record Cli(AbstractRealCliIT setup, String transcriptDir, Predicate<Path> transcript) {
        @Override
        public String toString() {
            return setup.toolName();
        }
    }

    static Stream<Cli> clis() {
        return Stream.of(
                new Cli(new RealCliClaudeIT(), ".claude/projects", p -> p.toString().endsWith(".jsonl")),
                new Cli(new RealCliCodexIT(), ".codex/sessions",
                        p -> p.getFileName().toString().startsWith("rollout-")),
                new Cli(new RealCliGeminiIT(), ".gemini/tmp", p -> p.toString().contains("/chats/")));
    }

    /** gemini 0.61.0 has no flag against recording chats; a settings file has to turn it off. */
    static Stream<Cli> clisWithEphemeralArgs() {
        return clis().filter(c -> !c.setup().toolName().equals("gemini-cli"));
    }

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (stub != null) {
            stub.close();
        }
    }

    private LlmService service(Cli cli, Path home) throws IOException {
        AbstractRealCliIT setup = cli.setup();
        Path binary = RealCliInstallation.binary(setup.binaryName());
        setup.prepareHome(home);
        stub = setup.startStub();
        String yaml = """
                tools:
                  %s:
                %s
                    timeout: %ds
                agents:
                  solo:
                    tool: %s
                    model: %s
                """.formatted(setup.toolName(), setup.toolOverride(binary, stub.baseUrl()).stripTrailing(),
                TOOL_TIMEOUT.toSeconds(), setup.toolName(), setup.model());
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        env.put("TMPDIR", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(setup.environment(stub.baseUrl()));
        service = LlmService.builder().config(ConfigSource.text(setup.toolName() + "-session.yaml", yaml))
                .environment(env).build();
        return service;
    }

    private static List<Path> transcripts(Cli cli, Path home) {
        Path root = home.resolve(cli.transcriptDir());
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(cli.transcript()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clis")
    void twoTurnSession_secondRequestSendsTheFirstTurnAsTheCliKeepsIt(Cli cli) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        LlmService llm = service(cli, home);
        String tool = cli.setup().toolName();

        LlmResponse first = llm.route(LlmRequest.builder(TURN_1).agent("solo").workingDirectory(work).newSession()
                .build()).execute();
        Session session = first.session().orElseThrow(() -> new AssertionError("no session in " + first
                + "; warnings " + first.warnings()));
        LlmResponse second = llm.route(LlmRequest.builder(TURN_2).agent("solo").workingDirectory(work)
                .session(session).build()).execute();

        assertThat(session.tool()).isEqualTo(tool);
        assertThat(transcripts(cli, home)).as("a kept session is on disk").isNotEmpty();
        assertThat(second.tool()).isEqualTo(tool);
        assertThat(second.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(second.session()).as("the conversation goes on under the same id").contains(session);
        assertThat(second.warnings()).noneMatch(w -> w.contains("session"));
        List<RecordedRequest> turn1 = stub.generationRequests().stream()
                .filter(r -> r.body().contains("PAPAYA-17") && !r.body().contains("Which word")).toList();
        List<RecordedRequest> turn2 = stub.generationRequests().stream()
                .filter(r -> r.body().contains("Which word")).toList();
        assertThat(turn1).as("turn 1 reached the stub").isNotEmpty();
        assertThat(turn1).allSatisfy(r -> assertThat(r.body()).doesNotContain(LoopbackApiStub.TEXT));
        assertThat(turn2).as("turn 2 carries turn 1's prompt and answer").isNotEmpty()
                .anySatisfy(r -> assertThat(r.body()).contains("PAPAYA-17", LoopbackApiStub.TEXT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clisWithEphemeralArgs")
    void requestWithoutSession_leavesNoTranscript(Cli cli) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        LlmService llm = service(cli, home);

        LlmResponse r = llm.route(LlmRequest.builder(TURN_1).agent("solo").workingDirectory(work).build()).execute();

        assertThat(r.text().strip()).isEqualTo(LoopbackApiStub.TEXT);
        assertThat(r.session()).isEmpty();
        assertThat(stub.generationRequests()).isNotEmpty();
        assertThat(transcripts(cli, home)).as("no transcript under ~/" + cli.transcriptDir()).isEmpty();
    }
}
