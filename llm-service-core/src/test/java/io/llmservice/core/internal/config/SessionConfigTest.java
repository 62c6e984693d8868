package io.llmservice.core.internal.config;

import io.llmservice.ConfigSource;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.SessionSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code session:} of a tool: bound, inherited with {@code extends:}, and every mistake named at its position. */
class SessionConfigTest {

    private static String tool(String body) {
        return """
                tools:
                  t:
                    binary: t
                    args: ["-p", "{model}"]
                    models: {gpt-5: g5}
                    output: {format: json, text: $.text}
                %s""".formatted(body);
    }

    @Test
    void session_bound_listsAndSinglePath() {
        LlmConfig config = ConfigLoaderTest.LOADER.load(ConfigSource.text("llm.yaml", tool("""
                    session:
                      ephemeral: ["--no-save"]
                      resume: ["--resume", "{session}"]
                      id: $.session_id
                """)), Map.of());

        assertThat(config.tool("t").orElseThrow().session()).contains(SessionSpec.builder()
                .ephemeral(List.of("--no-save")).resume(List.of("--resume", "{session}")).id(List.of("$.session_id"))
                .build());
    }

    @Test
    void builtIns_claudeCodexGemini_haveSessions_otherToolsNot() {
        LlmConfig config = ConfigLoaderTest.LOADER.load(ConfigSource.text("llm.yaml", tool("")), Map.of());

        assertThat(config.tool("claude-code").orElseThrow().session().orElseThrow().ephemeral())
                .containsExactly("--no-session-persistence");
        assertThat(config.tool("codex").orElseThrow().session().orElseThrow().resume())
                .containsExactly("resume", "{session}");
        assertThat(config.tool("codex").orElseThrow().args()).contains("{session_args}");
        assertThat(config.tool("gemini-cli").orElseThrow().session().orElseThrow().id())
                .containsExactly("$.session_id");
        assertThat(config.tool("t").orElseThrow().session()).isEmpty();
    }

    @Test
    void extends_mergesSessionKeyByKey() {
        LlmConfig config = ConfigLoaderTest.LOADER.load(ConfigSource.text("llm.yaml", """
                tools:
                  claude-code:
                    extends: claude-code
                    session: {ephemeral: []}
                """), Map.of());

        assertThat(config.tool("claude-code").orElseThrow().session().orElseThrow()).satisfies(s -> {
            assertThat(s.ephemeral()).isEmpty();
            assertThat(s.resume()).containsExactly("--resume", "{session}");
        });
    }

    @Test
    void mistakes_eachReportedAtItsPosition() {
        List<String> problems = ConfigLoaderTest.problems(ConfigSource.text("llm.yaml", tool("""
                    session:
                      ephemeral: ["--x={model}"]
                      resume: ["--resume={session}"]
                      id: "$.[oops"
                      keep: true
                """)), Map.of());

        assertThat(problems).containsExactlyInAnyOrder(
                "llm.yaml:11:7: tools.t.session.keep: unknown key 'keep'; remove it or use one of: ephemeral, start,"
                        + " resume, id",
                "llm.yaml:8:19: tools.t.session.ephemeral[0]: unknown placeholder {model} in session arguments;"
                        + " no placeholder is filled here",
                "llm.yaml:9:16: tools.t.session.resume[0]: {session} must be a whole argument (the id is passed as"
                        + " one argument); write \"--resume\", \"{session}\" instead of \"--resume={session}\"",
                "llm.yaml:9:15: tools.t.session.resume: resume needs the arguments that continue a session, with"
                        + " {session} as one whole argument, e.g. resume: [\"--resume\", \"{session}\"]",
                "llm.yaml:10:11: tools.t.session.id: invalid JSONPath \"$.[oops\": Could not parse token starting at"
                        + " position 2."
                        + " Expected ?, ', 0-9, *; see https://github.com/json-path/JsonPath for the syntax");
    }

    @Test
    void noIdNoResume_andSessionArgsWithoutSession_reported() {
        List<String> problems = ConfigLoaderTest.problems(ConfigSource.text("llm.yaml", """
                tools:
                  t:
                    binary: t
                    args: ["{session_args}", "x{session_args}"]
                    models: {gpt-5: g5}
                    output: {format: json, text: $.text}
                  u:
                    binary: u
                    models: {gpt-5: g5}
                    output: {format: json, text: $.text}
                    session: {ephemeral: []}
                """), Map.of());

        assertThat(problems).containsExactlyInAnyOrder(
                "llm.yaml:4:12: tools.t.args[0]: {session_args} needs a session: block in this tool; add one or"
                        + " remove it",
                "llm.yaml:4:30: tools.t.args[1]: {session_args} must be a whole argument (it stands for zero or more"
                        + " arguments)",
                "llm.yaml:11:14: tools.u.session: resume needs the arguments that continue a session, with {session}"
                        + " as one whole argument, e.g. resume: [\"--resume\", \"{session}\"]",
                "llm.yaml:11:14: tools.u.session: id is required: the JSONPath of the session id in the tool's"
                        + " output, e.g. id: $.session_id");
    }

    @Test
    void sessionArgs_onceAcrossTheWholeArgv_notPerList() {
        List<String> problems = ConfigLoaderTest.problems(ConfigSource.text("llm.yaml", """
                tools:
                  t:
                    binary: t
                    args: ["{session_args}", "-p"]
                    args_append: ["{session_args}"]
                    models: {gpt-5: g5}
                    output: {format: json, text: $.text}
                    session: {resume: ["--resume", "{session}"], id: $.session_id}
                  codex-more:
                    extends: codex
                    args_prepend: ["{session_args}"]
                """), Map.of());

        assertThat(problems).hasSize(2).contains(
                "llm.yaml:5:19: tools.t.args_append[0]: {session_args} may appear only once in args_prepend, args and"
                        + " args_append together (it is already at tools.t.args[0]); keep one");
        // codex's built-in args hold one already: the second in argv order is named (at its line in the
        // catalogue, which moves as the catalogue changes), with the first.
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("builtin:catalogue.yaml:")
                .contains(": tools.codex-more.args[").endsWith("]: {session_args} may appear only once in"
                        + " args_prepend, args and args_append together (it is already at"
                        + " tools.codex-more.args_prepend[0]); keep one"));
    }
}
