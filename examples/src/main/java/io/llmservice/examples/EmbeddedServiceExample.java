package io.llmservice.examples;

import io.llmservice.BudgetExceededException;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceListener;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Persona "software engineer": an application embeds one shared {@link LlmService}, sends
 * requests asynchronously, and lives under a hard daily budget — requests that would exceed it
 * are refused before anything runs, and the application handles the refusal.
 *
 * <p>Uses a labelled stand-in for {@code claude}; {@code LLM_SERVICE_REAL_TOOLS=1} uses the real one
 * on {@code PATH}. Run:
 * {@code ./mvnw -B -q -Pdemo -DskipTests verify -Ddemo.main=io.llmservice.examples.EmbeddedServiceExample}.
 */
public final class EmbeddedServiceExample {
    private static final String CONFIG = """
            tools:
              claude-code: {extends: claude-code, binary: "%s"}
            agents:
              summarizer: {team: app, tool: claude-code, model: claude-sonnet-4-5}
            policies:
              budgets:
                - name: app-daily
                  scope: {team: app}
                  period: daily
                  limit: {usd: 0.03, type: hard}
            """;

    private EmbeddedServiceExample() {
    }

    public static void main(String[] args) {
        System.setProperty("org.jboss.logging.provider", "slf4j");
        StandInTools tools = new StandInTools();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        out.println(tools.summary());
        String claude = tools.use("claude", () -> tools.claude("Summary: three tickets are blocked on review.", 20, 200),
                out).toString();
        LlmServiceListener warnings = new LlmServiceListener() {
            @Override
            public void onWarning(ErrorCode code, String message) {
                System.out.println("  warning " + code.id() + ": " + message);
            }
        };
        // One service for the whole application: immutable, thread-safe, closed at shutdown.
        try (LlmService llm = LlmService.builder().config(ConfigSource.text("app.yaml", CONFIG.formatted(claude)))
                .listener(warnings).build()) {
            List<CompletableFuture<LlmResponse>> calls = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                LlmRequest request = LlmRequest.builder("Summarise ticket batch #" + i).agent("summarizer")
                        .label("batch", Integer.toString(i)).build();
                calls.add(llm.route(request).executeAsync());
            }
            BigDecimal spent = BigDecimal.ZERO;
            int served = 0;
            int refused = 0;
            for (int i = 0; i < calls.size(); i++) {
                try {
                    LlmResponse r = calls.get(i).join();
                    served++;
                    spent = spent.add(r.costUsd().orElse(BigDecimal.ZERO));
                    System.out.printf("batch %d: %s ($%s)%n", i + 1, r.text(),
                            r.costUsd().map(BigDecimal::toPlainString).orElse("?"));
                } catch (CompletionException e) {
                    if (e.getCause() instanceof BudgetExceededException b) {
                        refused++;
                        System.out.printf("batch %d: refused by budget %s: spent $%s + reserved $%s of $%s%n", i + 1,
                                b.policy(), b.spentUsd().toPlainString(), b.reservedUsd().toPlainString(),
                                b.limitUsd().toPlainString());
                    } else {
                        throw e;
                    }
                }
            }
            System.out.printf("%d served for $%s of the $0.03 limit, %d refused before anything ran.%n", served,
                    spent.toPlainString(), refused);
            // The guarantee (docs/budgets.md): a hard limit is exceeded only by what settled calls cost beyond
            // their reservation. Each record's reserved_usd vs cost_usd shows that gap call by call.
        }
    }
}
