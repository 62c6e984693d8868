package io.llmservice.core.internal.it;

import io.llmservice.Attempt;
import io.llmservice.Candidate;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.RoutePlan;
import io.llmservice.Session;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * Sessions through the public API with real subprocesses: the arguments each kind of call gets,
 * the session id read from the output, pinning to the owning tool and the fallback that starts anew.
 */
class SessionIT {
    @TempDir
    Path dir;

    private LlmService llm;

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> FakeCli.isRunning(p.pid()))).as("no tool process outlives the test").isEmpty();
    }

    private static String tool(String name, Path binary, boolean session) {
        return """
                  %s:
                    binary: "%s"
                    args: %s
                    models: {claude-sonnet-4-5: sonnet, claude-haiku-4-5: haiku}
                    output: {format: json, text: $.text}
                    retriable_when: ["overloaded"]
                %s""".formatted(name, binary,
                session ? "[\"--json\", \"{session_args}\", \"-\"]" : "[\"--json\", \"-\"]",
                !session ? "" : """
                    session:
                      ephemeral: ["--no-save"]
                      start: ["--save"]
                      resume: ["--resume", "{session}"]
                      id: [$.nope, $.session_id]
                """);
    }

    private LlmService service(Path alpha, Path beta, Path plain) {
        String yaml = "tools:\n" + tool("alpha", alpha, true) + tool("beta", beta, true) + tool("plain", plain, false)
                + """
                agents:
                  coder:
                    tool: alpha
                    model: claude-sonnet-4-5
                    fallbacks: [{tool: plain, model: claude-sonnet-4-5}, {tool: beta, model: claude-sonnet-4-5}]
                  two-models:
                    tool: alpha
                    model: claude-sonnet-4-5
                    fallbacks: [{tool: beta, model: claude-sonnet-4-5}, {tool: alpha, model: claude-haiku-4-5}]
                """;
        llm = LlmService.builder().config(ConfigSource.text("sessions.yaml", yaml))
                .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                        "HOME", dir.toString())).build();
        return llm;
    }

    private static String answer(String text, String sessionId) {
        return "{\"text\":\"" + text + "\",\"session_id\":\"" + sessionId + "\"}";
    }

    @Test
    void newSessionThenContinue_argvPerKind_idFromOutput_plainCallKeepsNothing() {
        FakeCli alpha = FakeCli.builder().name("alpha").stdout(answer("one", "s-1")).then()
                .stdout(answer("two", "s-1")).then().stdout(answer("three", "s-9")).build(dir);
        FakeCli unused = FakeCli.create(dir);
        LlmService llm = service(alpha.binary(), unused.binary(), unused.binary());

        LlmResponse first = llm.route(LlmRequest.builder("turn 1").agent("coder").newSession().build()).execute();
        LlmResponse second = llm.route(LlmRequest.builder("turn 2").agent("coder")
                .session(first.session().orElseThrow()).build()).execute();
        LlmResponse plain = llm.route(LlmRequest.builder("no session").agent("coder").build()).execute();

        assertThat(first.session()).contains(new Session("alpha", "s-1"));
        assertThat(second.session()).contains(new Session("alpha", "s-1"));
        assertThat(second.text()).isEqualTo("two");
        assertThat(second.warnings()).noneMatch(w -> w.contains("session"));
        assertThat(plain.session()).as("no session asked, none reported").isEmpty();
        assertThat(alpha.invocations()).extracting(FakeCli.Invocation::argv).containsExactly(
                List.of("--json", "--save", "-"),
                List.of("--json", "--resume", "s-1", "-"),
                List.of("--json", "--no-save", "-"));
        assertThat(unused.invocationCount()).isZero();
    }

    @Test
    void ownerFails_fallbackStartsANewSession_saysSo_toolWithoutSessionSkipped() {
        FakeCli alpha = FakeCli.builder().name("alpha").stderr("API overloaded, try later\n").exitCode(1).build(dir);
        FakeCli beta = FakeCli.builder().name("beta").stdout(answer("from beta", "b-7")).build(dir);
        FakeCli plain = FakeCli.builder().name("plain").stdout("{\"text\":\"plain\"}").build(dir);
        LlmService llm = service(alpha.binary(), beta.binary(), plain.binary());
        LlmRequest request = LlmRequest.builder("turn 2").agent("coder").session(new Session("alpha", "s-1")).build();

        RoutePlan plan = llm.route(request).plan();
        LlmResponse r = llm.route(request).execute();

        assertThat(plan.candidates()).extracting(Candidate::tool, Candidate::status).containsExactly(
                tuple("alpha", Candidate.Status.CHOSEN), tuple("beta", Candidate.Status.FALLBACK),
                tuple("plain", Candidate.Status.EXCLUDED));
        assertThat(r.tool()).isEqualTo("beta");
        assertThat(r.attempts()).extracting(Attempt::tool, Attempt::outcome).containsExactly(
                tuple("alpha", Outcome.FAILED), tuple("beta", Outcome.SUCCESS));
        assertThat(alpha.invocations().get(0).argv()).containsExactly("--json", "--resume", "s-1", "-");
        assertThat(beta.invocations().get(0).argv()).as("a new session on the fallback").containsExactly("--json",
                "--save", "-");
        assertThat(r.session()).contains(new Session("beta", "b-7"));
        assertThat(r.warnings()).contains("session alpha:s-1 was not continued: alpha did not serve the"
                + " request; beta started a new session without the earlier conversation");
        assertThat(plain.invocationCount()).isZero();
    }

    @Test
    void ownerFailsOnOneModel_itsOtherModelContinuesTheSession_beforeAnotherToolStartsANewOne() {
        FakeCli alpha = FakeCli.builder().name("alpha").stderr("API overloaded, try later\n").exitCode(1).then()
                .stdout(answer("from alpha haiku", "s-1")).build(dir);
        FakeCli beta = FakeCli.builder().name("beta").stdout(answer("from beta", "b-7")).build(dir);
        FakeCli plain = FakeCli.create(dir);
        LlmService llm = service(alpha.binary(), beta.binary(), plain.binary());
        LlmRequest request = LlmRequest.builder("turn 2").agent("two-models").session(new Session("alpha", "s-1"))
                .build();

        RoutePlan plan = llm.route(request).plan();
        LlmResponse r = llm.route(request).execute();

        assertThat(plan.candidates()).extracting(Candidate::tool, Candidate::model, Candidate::status,
                Candidate::reason).containsExactly(
                tuple("alpha", "claude-sonnet-4-5", Candidate.Status.CHOSEN,
                        "continues session alpha:s-1 (agent's preferred tool and model)"),
                tuple("alpha", "claude-haiku-4-5", Candidate.Status.FALLBACK,
                        "continues session alpha:s-1 (agent's fallback #2)"),
                tuple("beta", "claude-sonnet-4-5", Candidate.Status.FALLBACK,
                        "agent's fallback #1; starts a new session (alpha:s-1 belongs to alpha)"));
        assertThat(r.attempts()).extracting(Attempt::tool, Attempt::model, Attempt::outcome).containsExactly(
                tuple("alpha", "claude-sonnet-4-5", Outcome.FAILED), tuple("alpha", "claude-haiku-4-5",
                        Outcome.SUCCESS));
        assertThat(alpha.invocations()).extracting(FakeCli.Invocation::argv).containsExactly(
                List.of("--json", "--resume", "s-1", "-"), List.of("--json", "--resume", "s-1", "-"));
        assertThat(r.session()).contains(new Session("alpha", "s-1"));
        assertThat(r.warnings()).noneMatch(w -> w.contains("session"));
        assertThat(beta.invocationCount()).isZero();
    }

    @Test
    void resumedToolReportsAnotherId_answerStands_warningSaysTheConversationIsNew() {
        FakeCli alpha = FakeCli.builder().name("alpha").stdout(answer("fresh", "s-2")).build(dir);
        LlmService llm = service(alpha.binary(), alpha.binary(), alpha.binary());

        LlmResponse r = llm.route(LlmRequest.builder("x").agent("coder").session(new Session("alpha", "s-1")).build())
                .execute();

        assertThat(r.session()).contains(new Session("alpha", "s-2"));
        assertThat(r.warnings()).contains("session alpha:s-1 was not continued: alpha reported session s-2 instead,"
                + " a new conversation; check the tool's session.resume arguments and {session_args} in its args");
    }

    @Test
    void sessionOfAToolWithoutSessionBlock_refusedAtRoute_nothingRuns() {
        FakeCli plain = FakeCli.builder().name("plain").stdout("{\"text\":\"plain\"}").build(dir);
        LlmService llm = service(plain.binary(), plain.binary(), plain.binary());

        LlmServiceException e = catchThrowableOfType(() -> llm.route(LlmRequest.builder("x").agent("coder")
                .session(new Session("plain", "p-1")).build()), LlmServiceException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("session plain:p-1 cannot be continued: tool 'plain' has no session:"
                + " in its definition");
        assertThat(plain.invocationCount()).isZero();
    }

    @Test
    void toolPrintsNoSessionId_answerStands_warningSaysItCannotBeContinued() {
        FakeCli alpha = FakeCli.builder().name("alpha").stdout("{\"text\":\"one\"}").build(dir);
        LlmService llm = service(alpha.binary(), alpha.binary(), alpha.binary());

        LlmResponse r = llm.route(LlmRequest.builder("x").agent("coder").newSession().build()).execute();

        assertThat(r.text()).isEqualTo("one");
        assertThat(r.session()).isEmpty();
        assertThat(r.warnings()).contains("session id not reported: session.id ($.nope, $.session_id) matched"
                + " nothing; the conversation cannot be continued");
    }
}
