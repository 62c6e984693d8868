package io.llmservice.examples;

import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;
import io.llmservice.StatsDimension;
import io.llmservice.StatsFormat;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Persona "process architect": writes the policies — cost-optimized routing, a soft monthly
 * budget for everyone, a rate limit for the busiest agent — lets three agents work, then exports
 * the monthly report per agent and per model to CSV for the finance spreadsheet.
 *
 * <p>Uses labelled stand-ins; {@code LLM_SERVICE_REAL_TOOLS=1} uses the real CLIs on {@code PATH}. Run:
 * {@code ./mvnw -B -q -Pdemo -DskipTests verify -Ddemo.main=io.llmservice.examples.MonthlyReportExample}; the CSV files land in {@code examples/target/reports/}.
 */
public final class MonthlyReportExample {
    private static final String POLICIES = """
            tools:
              claude-code: {extends: claude-code, binary: "%s"}
              codex: {extends: codex, binary: "%s"}
              gemini-cli: {extends: gemini-cli, binary: "%s"}
            agents:
              code-reviewer:
                team: platform
                tool: claude-code
                model: claude-sonnet-4-5
                fallbacks: [{tool: codex, model: gpt-5-codex}]
              test-writer: {team: platform, tool: codex, model: gpt-5-codex}
              doc-writer: {team: docs, tool: gemini-cli, model: gemini-2.5-flash, tools: [claude-code]}
            policies:
              routing: {strategy: cost-optimized, small_prompt_tokens: 2000}
              budgets:
                - name: everyone-monthly
                  scope: {}
                  period: monthly
                  limit: {usd: 0.05, type: soft}
                  warn_at: 0.5
              rate_limits:
                - scope: {agent: code-reviewer}
                  requests_per_minute: 60
              timezone: Europe/Berlin
            """;

    private MonthlyReportExample() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        StandInTools standIns = new StandInTools();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        out.println(standIns.summary());
        String claude = standIns.use("claude", () -> standIns.claude("Looks good.", 2400, 180), out).toString();
        String codex = standIns.use("codex", () -> standIns.codex("Added 4 tests.", 3100, 420), out).toString();
        String gemini = standIns.use("gemini", () -> standIns.gemini("Updated the README.", 900, 300), out).toString();

        try (LlmService llm = LlmService.builder().config(ConfigSource.text("policies.yaml",
                POLICIES.formatted(claude, codex, gemini))).listener(new io.llmservice.LlmServiceListener() {
                    @Override
                    public void onWarning(io.llmservice.ErrorCode code, String message) {
                        System.out.println("warning " + code.id() + ": " + message);
                    }
                }).build()) {
            for (int i = 0; i < 4; i++) {
                llm.route(LlmRequest.builder("Review change #" + i).agent("code-reviewer").build()).execute();
                llm.route(LlmRequest.builder("Write tests for module " + i).agent("test-writer")
                        .complexity(Complexity.MEDIUM).build()).execute();
                llm.route(LlmRequest.builder("Document feature " + i).agent("doc-writer")
                        .complexity(Complexity.SIMPLE).build()).execute();
            }
            Path reports = Path.of("target", "reports");
            Files.createDirectories(reports);
            for (StatsDimension by : new StatsDimension[]{StatsDimension.AGENT, StatsDimension.MODEL}) {
                StatsReport report = llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(by)
                        .zone(llm.config().policies().timezone()).build());
                Path file = reports.resolve("monthly-by-" + by.yamlName() + ".csv");
                try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    llm.writeStats(report, StatsFormat.CSV, w);
                }
                System.out.println("== " + file + " ==");
                System.out.print(Files.readString(file));
            }
        }
    }
}
