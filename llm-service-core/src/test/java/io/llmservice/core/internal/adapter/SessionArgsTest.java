package io.llmservice.core.internal.adapter;

import io.llmservice.config.SessionSpec;
import io.llmservice.spi.ToolInvocation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionArgsTest {
    private static final SessionSpec CLAUDE = SessionSpec.builder().ephemeral(List.of("--no-session-persistence"))
            .resume(List.of("--resume", "{session}")).id(List.of("$.session_id")).build();
    private static final SessionSpec CODEX = SessionSpec.builder().ephemeral(List.of("--ephemeral"))
            .start(List.of("--keep")).resume(List.of("resume", "{session}")).id(List.of("$.thread_id")).build();
    private static final List<String> CODEX_ARGS =
            List.of("exec", "--json", "--model", "{model}", "{session_args}", "-");

    private static ToolInvocation.Builder invocation() {
        return ToolInvocation.builder("hi").requestId("r").model("m", "m");
    }

    private static List<String> command(List<String> template, List<String> rendered, SessionSpec spec,
                                        ToolInvocation inv) {
        List<String> command = new ArrayList<>();
        command.add("/bin/tool");
        command.addAll(rendered);
        SessionArgs.apply(command, 1, template, spec, inv);
        return command;
    }

    @Test
    void noSession_ephemeralArgsAtTheEnd() {
        List<String> args = List.of("-p", "--model", "{model}");
        assertThat(command(args, List.of("-p", "--model", "sonnet"), CLAUDE, invocation().build()))
                .containsExactly("/bin/tool", "-p", "--model", "sonnet", "--no-session-persistence");
    }

    @Test
    void resume_idIsOneWholeArgument_neverRenderedAsAPlaceholder() {
        List<String> args = List.of("-p");
        assertThat(command(args, List.of("-p"), CLAUDE, invocation().resumeSession("4f1c{model}").build()))
                .containsExactly("/bin/tool", "-p", "--resume", "4f1c{model}");
    }

    @Test
    void newSession_startArgs_noEphemeral() {
        assertThat(command(CODEX_ARGS, List.of("exec", "--json", "--model", "gpt", "{session_args}", "-"), CODEX,
                invocation().newSession().build()))
                .containsExactly("/bin/tool", "exec", "--json", "--model", "gpt", "--keep", "-");
        assertThat(command(List.of("-p"), List.of("-p"), CLAUDE, invocation().newSession().build()))
                .containsExactly("/bin/tool", "-p");
    }

    @Test
    void codexResume_subcommandGoesWhereArgsSayBeforeThePromptDash() {
        assertThat(command(CODEX_ARGS, List.of("exec", "--json", "--model", "gpt", "{session_args}", "-"), CODEX,
                invocation().resumeSession("0199a213").build()))
                .containsExactly("/bin/tool", "exec", "--json", "--model", "gpt", "resume", "0199a213", "-");
        assertThat(command(CODEX_ARGS, List.of("exec", "--json", "--model", "gpt", "{session_args}", "-"), CODEX,
                invocation().build()))
                .containsExactly("/bin/tool", "exec", "--json", "--model", "gpt", "--ephemeral", "-");
    }

    @Test
    void promptArgumentThatReadsLikeThePlaceholder_isLeftAlone_theSplicingGoesByPosition() {
        List<String> args = List.of("{prompt}", "{session_args}");
        assertThat(command(args, List.of("{session_args}", "{session_args}"), CLAUDE, invocation().build()))
                .containsExactly("/bin/tool", "{session_args}", "--no-session-persistence");
    }
}
