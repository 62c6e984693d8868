package io.llmservice.cli;

import io.llmservice.Complexity;
import io.llmservice.LlmRequest;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionParsingTest {
    @TempDir
    Path tmp;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private CliEnvironment env(InputStream stdin, Map<String, String> vars) {
        return new CliEnvironment(vars, tmp, tmp, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private CliEnvironment env() {
        return env(InputStream.nullInputStream(), Map.of());
    }

    @SuppressWarnings("unchecked")
    private <T> T parse(CliEnvironment env, String... args) {
        CommandLine cl = Main.commandLine(env, args);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        while (pr.hasSubcommand()) {
            pr = pr.subcommand();
        }
        return (T) pr.commandSpec().userObject();
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exec_allOptions_buildTheRequest() {
        CliEnvironment env = env();
        ExecCommand exec = parse(env, "exec", "--agent", "a", "--tool", "t", "--model", "m", "--complexity", "SIMPLE",
                "--timeout", "90s", "--json", "--config", "x.yaml", "--verbose", "the prompt");

        LlmRequest r = exec.request.toRequest(env);
        assertThat(r.prompt()).isEqualTo("the prompt");
        assertThat(r.agent()).contains("a");
        assertThat(r.tool()).contains("t");
        assertThat(r.model()).contains("m");
        assertThat(r.complexity()).contains(Complexity.SIMPLE);
        assertThat(r.timeout()).contains(Duration.ofSeconds(90));
        assertThat(r.workingDirectory()).contains(tmp.toAbsolutePath());
        assertThat(exec.json).isTrue();
        assertThat(exec.common.config()).contains(Path.of("x.yaml"));
        assertThat(exec.common.verbose()).isTrue();
    }

    @Test
    void exec_complexity_isCaseInsensitive() {
        ExecCommand exec = parse(env(), "exec", "--complexity", "complex", "p");
        assertThat(exec.request.complexity).isEqualTo(Complexity.COMPLEX);
    }

    @Test
    void exec_doubleDash_makesADashedPromptPositional() {
        ExecCommand exec = parse(env(), "exec", "--", "--json is a prompt here");
        assertThat(exec.request.prompt).isEqualTo("--json is a prompt here");
        assertThat(exec.json).isFalse();
    }

    @Test
    void exec_session_continuesIt_newSessionKeepsOne_bothOrAnotherToolContradict() {
        CliEnvironment env = env();
        LlmRequest cont = ((ExecCommand) parse(env, "exec", "--session", "codex:0199a213", "p")).request.toRequest(env);
        LlmRequest fresh = ((ExecCommand) parse(env, "exec", "--new-session", "p")).request.toRequest(env);
        LlmRequest none = ((ExecCommand) parse(env, "exec", "p")).request.toRequest(env);

        assertThat(cont.session()).contains(new io.llmservice.Session("codex", "0199a213"));
        assertThat(fresh.keepsSession()).isTrue();
        assertThat(fresh.session()).isEmpty();
        assertThat(none.keepsSession()).isFalse();
        ExecCommand both = parse(env, "exec", "--session", "codex:1", "--new-session", "p");
        assertThatThrownBy(() -> both.request.toRequest(env)).isInstanceOf(UsageException.class)
                .hasMessage("--session and --new-session contradict each other");
        ExecCommand other = parse(env, "exec", "--session", "codex:1", "--tool", "claude-code", "p");
        assertThatThrownBy(() -> other.request.toRequest(env)).isInstanceOf(UsageException.class)
                .hasMessage("--tool claude-code contradicts --session codex:1, which belongs to codex");
    }

    @Test
    void sessionConverter_withoutToolColonId_saysTheForm() {
        assertThatThrownBy(() -> new RequestOptions.SessionConverter().convert("0199a213"))
                .hasMessageContaining("a session is written TOOL:ID");
    }

    @Test
    void exec_atPrompt_isNotExpandedFromAFile() {
        ExecCommand exec = parse(env(), "exec", "@/etc/passwd");
        assertThat(exec.request.prompt).isEqualTo("@/etc/passwd");
    }

    @Test
    void exec_dashPrompt_readsStdinUtf8() {
        byte[] bytes = "zwölf\n".getBytes(StandardCharsets.UTF_8);
        CliEnvironment env = env(new ByteArrayInputStream(bytes), Map.of());
        ExecCommand exec = parse(env, "exec", "-");
        assertThat(exec.request.toRequest(env).prompt()).isEqualTo("zwölf\n");
    }

    @Test
    void exec_emptyStdin_isAUsageError() {
        CliEnvironment env = env();
        ExecCommand exec = parse(env, "exec", "-");
        assertThatThrownBy(() -> exec.request.toRequest(env)).isInstanceOf(UsageException.class)
                .hasMessage("the prompt is empty (nothing on standard input)");
    }

    @Test
    void duration_acceptsConfigAndIsoForms_rejectsOthers() {
        RequestOptions.DurationConverter c = new RequestOptions.DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(c.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> c.convert("0s")).hasMessage("'0s' must be a positive duration like 90s");
        assertThatThrownBy(() -> c.convert("soon")).hasMessage("'soon' is not a duration like 90s, 10m or 2h");
    }

    @Test
    void run_badTimeout_exit2_oneErrorLineAndAHint() {
        int code = Main.run(env(), "exec", "--timeout", "soon", "p");

        assertThat(code).isEqualTo(2);
        assertThat(err()).startsWith("error: ").contains("'soon' is not a duration like 90s, 10m or 2h")
                .contains("\nhint: see 'llm-service exec --help'");
        assertThat(err().lines()).hasSize(2);
    }

    @Test
    void run_missingPrompt_exit2() {
        assertThat(Main.run(env(), "exec")).isEqualTo(2);
        assertThat(err()).startsWith("error: Missing required parameter: 'PROMPT'");
    }

    @Test
    void run_unknownCommand_exit2_suggestsTheClosest() {
        assertThat(Main.run(env(), "exce", "p")).isEqualTo(2);
        assertThat(err()).contains("hint: did you mean exec?");
    }

    @Test
    void run_noCommand_exit2_withUsage() {
        assertThat(Main.run(env())).isEqualTo(2);
        assertThat(err()).startsWith("error: missing command").contains("Commands:", "exec", "stats", "version");
    }

    @Test
    void run_execHelp_exit0_documentsTheExitCodes() {
        assertThat(Main.run(env(), "exec", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--agent=AGENT", "--json", "Exit codes:",
                "3     refused by a hard budget", "130   interrupted");
    }

    @Test
    void stats_defaults_andOptions() {
        StatsCommand s = parse(env(), "stats");
        assertThat(s.period).isEqualTo(StatsPeriod.MONTH);
        assertThat(s.by).isEqualTo(StatsDimension.AGENT);
        assertThat(s.format).isEqualTo(StatsCommand.Format.TABLE);

        StatsCommand t = parse(env(), "stats", "--period", "week", "--by", "team", "--format", "csv", "--output", "f.csv");
        assertThat(t.period).isEqualTo(StatsPeriod.WEEK);
        assertThat(t.by).isEqualTo(StatsDimension.TEAM);
        assertThat(t.format).isEqualTo(StatsCommand.Format.CSV);
        assertThat(t.output).isEqualTo(Path.of("f.csv"));
    }

    @Test
    void whatif_untilIsTheSameOptionAsTo_likeStats() {
        WhatIfCommand w = parse(env(), "whatif", "--config", "p.yaml", "--since", "30d", "--until", "2026-12-01");
        assertThat(w.to).isEqualTo("2026-12-01");
        WhatIfCommand t = parse(env(), "whatif", "--config", "p.yaml", "--to", "2026-12-01");
        assertThat(t.to).isEqualTo("2026-12-01");
    }

    @Test
    void whatif_since_takesAnAgeOrADate_andABadValueNamesBoth() {
        java.time.Instant now = java.time.Instant.parse("2026-12-07T00:00:00Z");
        java.time.ZoneId utc = java.time.ZoneOffset.UTC;
        assertThat(WhatIfCommand.sinceBound("30d", utc, now)).isEqualTo("2026-11-07T00:00:00Z");
        assertThat(WhatIfCommand.sinceBound("2026-11-01", utc, now)).isEqualTo("2026-11-01T00:00:00Z");
        assertThatThrownBy(() -> WhatIfCommand.sinceBound("last tuesday", utc, now))
                .isInstanceOf(UsageException.class)
                .hasMessage("--since 'last tuesday' is not an age, a date or an instant")
                .extracting(e -> ((UsageException) e).hint()).asString()
                .startsWith("write an age like 30d, 12h or P30D, a date like 2026-11-01");
    }

    @Test
    void version_onlyBuildsTheVersionCommand() {
        CommandLine cl = Main.commandLine(env(), "version");
        assertThat(cl.getSubcommands()).containsOnlyKeys("version");
        assertThat(Main.commandLine(env(), "--help").getSubcommands())
                .containsOnlyKeys("exec", "route", "config", "tools", "stats", "report", "prune", "telemetry", "daemon", "version",
                        "whatif");
    }

    @Test
    void run_version_printsThreeLines() {
        assertThat(Main.run(env(), "version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(3).first().asString().startsWith("llm-service ");
    }

    @Test
    void run_configWithoutSubcommand_exit2() {
        assertThat(Main.run(env(), "config")).isEqualTo(2);
        assertThat(err()).startsWith("error: missing subcommand: init or validate");
    }

    private Path minimalConfig() throws java.io.IOException {
        return java.nio.file.Files.writeString(tmp.resolve("minimal.yaml"), """
                tools:
                  plain:
                    type: cli
                    binary: /bin/echo
                    models: {claude-haiku-4-5: haiku}
                    output: {format: text}
                agents:
                  a:
                    tool: plain
                    model: claude-haiku-4-5
                policies:
                  telemetry: {store: memory}
                """);
    }

    @Test
    void run_commonOptions_beforeBetweenOrAfterTheSubcommands_meanTheSame() throws Exception {
        String config = minimalConfig().toString();
        for (String[] args : List.of(new String[]{"--config", config, "config", "validate"},
                new String[]{"config", "--config", config, "validate"},
                new String[]{"config", "validate", "--config", config})) {
            out.reset();
            err.reset();

            assertThat(Main.run(env(), args)).as(String.join(" ", args) + ": " + err()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(String.join(" ", args))
                    .startsWith("valid: 1 agent, ").contains(config);
        }
    }

    @Test
    void parse_configBeforeExec_reachesExec() throws Exception {
        String config = minimalConfig().toString();
        // --agent names an agent the configuration lacks: the command fails after reading --config's file.
        assertThat(Main.run(env(), "--config", config, "exec", "--agent", "b", "hi")).isEqualTo(2);
        assertThat(err()).startsWith("error: unknown agent 'b'; configured agents: a");
        err.reset();
        assertThat(Main.run(env(), "exec", "--config", config, "--agent", "b", "hi")).isEqualTo(2);
        assertThat(err()).startsWith("error: unknown agent 'b'; configured agents: a");
    }

    @Test
    void run_verboseBeforeTheSubcommand_printsTheConfigLineOnce() throws Exception {
        String config = minimalConfig().toString();

        assertThat(Main.run(env(), "--verbose", "--config", config, "config", "validate")).isZero();

        assertThat(err().lines().filter(l -> l.startsWith("config: "))).containsExactly(
                "config: " + config + " (from --config)");
    }
}
