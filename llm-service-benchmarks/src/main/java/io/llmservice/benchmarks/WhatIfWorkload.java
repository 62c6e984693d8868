package io.llmservice.benchmarks;

import io.llmservice.Complexity;
import io.llmservice.LlmRequest;
import io.llmservice.LlmService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The synthetic month of {@code docs/cost-optimization.md}: records requests through a real service and a
 * {@code /bin/sh} stand-in (nothing is spent) into an H2 store, under {@code preference}, and writes the
 * proposed {@code cost-optimized} configuration beside it for {@code llm-service whatif}.
 *
 * <p>The mix (an assumption, not a measurement): four agents — code-reviewer 45 % of requests (prompts
 * 800–24,000 tokens; hints simple 25 %, medium 35 %, none 40 %), commit-writer 25 % (200–1,500; simple 90 %),
 * test-writer 20 % (1,500–30,000; medium 50 %), architect 10 % (4,000–80,000; complex 80 %); sizes
 * log-uniform within each range. The stand-in reports 1,500 input tokens more than the prompt (system
 * prompt and tool context) and 200 + prompt/40 output tokens, no cache.
 *
 * <p>Run: {@code java -cp llm-service-benchmarks/target/benchmarks.jar io.llmservice.benchmarks.WhatIfWorkload
 * /tmp/whatif 2000}, then {@code llm-service whatif --config /tmp/whatif/proposed.yaml --recorded
 * /tmp/whatif/recorded.yaml --from 2026-11-01 --to 2026-12-01}.
 */
public final class WhatIfWorkload {
    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration SPAN = Duration.ofDays(30);

    private WhatIfWorkload() {
    }

    static String yaml(Path dir, String routing, String budgets) {
        String tool = """
                  %s:
                    type: cli
                    binary: "%s"
                    args: ["%s", "{model}"]
                    models: {%s}
                    output: {format: json, text: $.text, input_tokens: $.in, output_tokens: $.out}
                    timeout: 60s
                """;
        Path standIn = dir.resolve("stand-in");
        return "tools:\n"
                + tool.formatted("claude-code", standIn, "claude-code", "claude-opus-4-5: claude-opus-4-5,"
                        + " claude-sonnet-4-5: claude-sonnet-4-5, claude-haiku-4-5: claude-haiku-4-5")
                + tool.formatted("codex", standIn, "codex", "gpt-5: gpt-5, gpt-5-codex: gpt-5-codex,"
                        + " gpt-5-codex-mini: gpt-5-codex-mini")
                + """
                agents:
                  code-reviewer: {team: platform, tool: claude-code, model: claude-sonnet-4-5, fallbacks: [{tool: codex, model: gpt-5-codex}]}
                  commit-writer: {team: platform, tool: claude-code, model: claude-sonnet-4-5}
                  test-writer: {team: product, tool: codex, model: gpt-5-codex, tools: [claude-code]}
                  architect: {team: product, tool: claude-code, model: claude-opus-4-5, tools: [codex]}
                policies:
                  timezone: Europe/Berlin
                  routing: %s
                  telemetry: {store: h2, path: "%s"}
                """.formatted(routing, dir.resolve("telemetry")) + budgets;
    }

    static final String PROPOSED_BUDGETS = """
              budgets:
                - {name: platform-daily, scope: {team: platform}, period: daily, limit: {usd: 0.40, type: hard}, on_exceed: downgrade}
                - {name: product-daily, scope: {team: product}, period: daily, limit: {usd: 0.60, type: hard}, on_exceed: block}
            """;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/whatif").toAbsolutePath();
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Files.createDirectories(dir);
        Path standIn = dir.resolve("stand-in");
        Files.writeString(standIn, """
                #!/bin/sh
                n=$(wc -c | tr -d ' ')
                printf '{"text": "ok", "in": %d, "out": %d}\\n' $((n / 6 + 1500)) $((200 + n / 240))
                """);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("recorded.yaml"), yaml(dir, "{strategy: preference}", ""));
        Files.writeString(dir.resolve("proposed.yaml"), yaml(dir, "{strategy: cost-optimized, small_prompt_tokens: 2000}",
                PROPOSED_BUDGETS));

        SplittableRandom rnd = new SplittableRandom(2026);
        Duration step = SPAN.dividedBy(requests);
        SteppedClock clock = new SteppedClock(START);
        long t0 = System.nanoTime();
        try (LlmService llm = LlmService.builder().config(dir.resolve("recorded.yaml")).environment(Map.of())
                .clock(clock).build()) {
            for (int i = 0; i < requests; i++) {
                llm.route(request(rnd)).execute();
                clock.now = clock.now.plus(step);
            }
        }
        System.out.printf("recorded %,d requests in %.1f s into %s%n", requests, (System.nanoTime() - t0) / 1e9,
                dir.resolve("telemetry"));
    }

    /** The service's clock, moved on by the generator to spread the requests over the month. */
    private static final class SteppedClock extends Clock {
        volatile Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a UTC clock");
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One request of the mix. */
    static LlmRequest request(SplittableRandom rnd) {
        double pick = rnd.nextDouble();
        String agent;
        long min;
        long max;
        Complexity hint;
        double h = rnd.nextDouble();
        if (pick < 0.45) {
            agent = "code-reviewer";
            min = 800;
            max = 24_000;
            hint = h < 0.25 ? Complexity.SIMPLE : h < 0.60 ? Complexity.MEDIUM : null;
        } else if (pick < 0.70) {
            agent = "commit-writer";
            min = 200;
            max = 1_500;
            hint = h < 0.90 ? Complexity.SIMPLE : null;
        } else if (pick < 0.90) {
            agent = "test-writer";
            min = 1_500;
            max = 30_000;
            hint = h < 0.50 ? Complexity.MEDIUM : null;
        } else {
            agent = "architect";
            min = 4_000;
            max = 80_000;
            hint = h < 0.80 ? Complexity.COMPLEX : null;
        }
        long tokens = Math.round(min * Math.pow((double) max / min, rnd.nextDouble()));
        LlmRequest.Builder b = LlmRequest.builder("lorem ".repeat((int) tokens)).agent(agent);
        if (hint != null) {
            b.complexity(hint);
        }
        return b.build();
    }
}
