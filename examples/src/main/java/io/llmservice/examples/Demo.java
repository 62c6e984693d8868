package io.llmservice.examples;

import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceListener;
import io.llmservice.Complexity;
import io.llmservice.ConfigException;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.RoutedCall;
import io.llmservice.StatsDimension;
import io.llmservice.StatsFormat;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.config.LlmConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The demo behind the README's first command: validates the example configuration, then routes
 * requests — a fallback, cost-optimized routing, a soft-budget warning and a hard-budget refusal —
 * and prints the stats.
 *
 * <p>Every tool is a stand-in (a real program printing output shaped like the real tool's,
 * labelled "[stand-in ...]" in its answers), even when the real {@code claude}, {@code codex} or
 * {@code gemini} is installed: so the demo runs on a fresh machine, needs no login and spends
 * nothing. {@code LLM_SERVICE_REAL_TOOLS=1} uses the real ones on {@code PATH} instead; the demo
 * prints which it used. Run: {@code ./mvnw -B -q -Pdemo -DskipTests verify} (or the {@code main}
 * of this class).
 */
public final class Demo {
    private final StandInTools standIns;
    private final PrintWriter out;

    /**
     * A demo for the given environment ({@code LLM_SERVICE_REAL_TOOLS}, {@code PATH}) printing on {@code out}.
     */
    Demo(Map<String, String> env, PrintWriter out) {
        this.standIns = new StandInTools(env);
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        // Hibernate Validator logs through JBoss Logging; send it to SLF4J like everything else.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        new Demo(System.getenv(), new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true))
                .run();
    }

    void run() throws IOException {
        out.println("== llm-service demo ==");
        out.println(standIns.summary());
        String claude = standIns.use("claude", () -> standIns.claude(
                "The change is correct; rename `tmp` to `retryCount`.", 1840, 120), out).toString();
        String codex = standIns.use("codex", () -> standIns.codex(
                "Reviewed: add a null check before `user.id()`.", 1600, 95), out).toString();
        String gemini = standIns.use("gemini", () -> standIns.gemini(
                "Drafted the release note in 3 bullet points.", 220, 60), out).toString();
        String overloaded = standIns.overloadedClaude().toString();
        out.println();
        validateExampleConfiguration();

        InMemoryStore store = new InMemoryStore();

        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("demo.yaml", DEMO_CONFIG.formatted(claude, codex, gemini, overloaded)))
                .telemetryStore(store.shared()).build()) {
            out.println("2. Fallback: the code reviewer's first choice answers \"overloaded\" (retriable), its second is"
                    + " not installed, its third serves:");
            RoutedCall review = llm.route(LlmRequest.builder("Review this diff:\n- int tmp = 0;\n+ int retryCount = 0;")
                    .agent("code-reviewer").build());
            out.println(indent(review.plan().explain()));
            show(review.execute());
        }
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("demo-cost.yaml", COST_CONFIG.formatted(claude, gemini)))
                .telemetryStore(store.shared()).build()) {
            out.println("3. Cost-optimized routing: a short, simple request goes to the cheapest economy model:");
            RoutedCall note = llm.route(LlmRequest.builder("Write a 3-bullet release note for v0.1.")
                    .agent("doc-writer").complexity(Complexity.SIMPLE).build());
            out.println(indent(note.plan().explain()));
            show(note.execute());

        }
        // The real claude when it was asked for and is installed (as above), else a stand-in with a cheaper answer.
        String summarizer = (standIns.realRequested() ? standIns.installed("claude") : Optional.<Path>empty())
                .map(Path::toString)
                .orElseGet(() -> standIns.claude("Summary: two tickets wait for review.", 20, 200).toString());
        LlmServiceListener warnings = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                out.println("   WARNING " + code.id() + ": " + message);
            }
        };
        try (LlmService llm = LlmService.builder()
                .config(ConfigSource.text("demo-budgets.yaml", BUDGET_CONFIG.formatted(summarizer)))
                .telemetryStore(store.shared()).listener(warnings).build()) {
            out.println("4. Budgets: a soft monthly budget warns at 50% and when it is exceeded; a hard daily budget"
                    + " refuses the request that would exceed it, before anything runs:");
            for (int i = 1; i <= 3; i++) {
                try {
                    LlmResponse r = llm.route(LlmRequest.builder("Summarise ticket batch #" + i).agent("summarizer")
                            .build()).execute();
                    out.printf("   call %d served, $%s%n", i, r.costUsd().map(BigDecimal::toPlainString).orElse("?"));
                } catch (BudgetExceededException e) {
                    out.printf("   call %d REFUSED (%s): %s%n", i, e.code().id(), e.getMessage());
                }
            }
            out.println();

            out.println("5. Stats of this month, by agent (CSV):");
            llm.writeStats(llm.stats(StatsQuery.builder().period(StatsPeriod.MONTH).groupBy(StatsDimension.AGENT)
                    .zone(llm.config().policies().timezone()).build()), StatsFormat.CSV, out);
        }
        out.println();
        out.println("Done. Next: README.md (quick start), docs/configuration.md and examples/src/main/resources/llm-service.yaml.");
    }

    private void validateExampleConfiguration() throws IOException {
        out.println("1. Validating the example configuration examples/src/main/resources/llm-service.yaml:");
        String yaml;
        try (InputStream in = Demo.class.getResourceAsStream("/llm-service.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("llm-service.yaml", yaml)).build()) {
            LlmConfig c = llm.config();
            out.printf("   valid: %d agents, %d tools, %d models, %d budgets, %d rate limits, strategy %s%n",
                    c.agents().size(), c.tools().size(), c.models().size(), c.policies().budgets().size(),
                    c.policies().rateLimits().size(), c.policies().routing().strategy());
            c.tools().keySet().forEach(t -> out.printf("   tool %-12s %s%n", t,
                    llm.route(LlmRequest.builder("x").tool(t).model(c.tools().get(t).models().keySet().iterator()
                            .next()).agent(c.agents().keySet().iterator().next()).build()).plan().chosen()
                            .map(x -> "installed").orElse("not installed")));
        } catch (ConfigException e) {
            out.println("   INVALID:");
            e.problems().forEach(p -> out.println("   " + p));
        }
        out.println();
    }

    private void show(LlmResponse r) {
        out.println("   answer: " + r.text());
        for (Attempt a : r.attempts()) {
            out.printf("   attempt %d: %s/%s %s in %d ms%s%n", a.number(), a.tool(), a.model(), a.outcome().storedName(),
                    a.latency().toMillis(), a.failure().map(f -> " (" + f.code().id() + ": "
                            + f.getMessage().lines().findFirst().orElse("") + ")").orElse(""));
        }
        out.printf("   served by %s/%s: %s input + %s output tokens, cost $%s (%s)%n%n", r.tool(), r.model(),
                r.usage().inputTokens().orElse(-1), r.usage().outputTokens().orElse(-1),
                r.costUsd().map(BigDecimal::toPlainString).orElse("unknown"),
                r.costSource().name().toLowerCase(java.util.Locale.ROOT));
    }

    private static String indent(String text) {
        return text.lines().map(l -> "   " + l).reduce((a, b) -> a + System.lineSeparator() + b).orElse("");
    }

    /**
     * Demo tools: the built-in definitions with their binaries replaced; "claude-code-eu" is always a
     * stand-in whose API answers 529 overloaded, "claude-nightly" is never installed.
     */
    private static final String DEMO_CONFIG = """
            tools:
              claude-code: {extends: claude-code, binary: "%s"}
              codex: {extends: codex, binary: "%s"}
              gemini-cli: {extends: gemini-cli, binary: "%s"}
              claude-code-eu: {extends: claude-code, binary: "%s"}
              claude-nightly: {extends: claude-code, binary: claude-nightly-not-installed}
            agents:
              code-reviewer:
                team: platform
                tool: claude-code-eu
                model: claude-sonnet-4-5
                fallbacks:
                  - {tool: claude-nightly, model: claude-sonnet-4-5}
                  - {tool: claude-code, model: claude-sonnet-4-5}
                  - {tool: codex, model: gpt-5-codex}
            policies:
              routing: {strategy: preference}
            """;

    private static final String BUDGET_CONFIG = """
            tools:
              claude-code: {extends: claude-code, binary: "%s"}
            agents:
              summarizer: {team: app, tool: claude-code, model: claude-sonnet-4-5}
            policies:
              budgets:
                - name: app-monthly
                  scope: {team: app}
                  period: monthly
                  limit: {usd: 0.005, type: soft}
                  warn_at: 0.5
                - name: summarizer-daily
                  scope: {agent: summarizer}
                  period: daily
                  limit: {usd: 0.008, type: hard}
            """;

    private static final String COST_CONFIG = """
            tools:
              claude-code: {extends: claude-code, binary: "%s"}
              gemini-cli: {extends: gemini-cli, binary: "%s"}
            agents:
              doc-writer:
                team: docs
                tool: claude-code
                model: claude-sonnet-4-5
                tools: [gemini-cli]
            policies:
              routing: {strategy: cost-optimized}
            """;
}
