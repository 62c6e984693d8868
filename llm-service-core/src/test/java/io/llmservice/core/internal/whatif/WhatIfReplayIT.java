package io.llmservice.core.internal.whatif;

import io.llmservice.Candidate;
import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.LlmRequest;
import io.llmservice.LlmResponse;
import io.llmservice.LlmService;
import io.llmservice.StatsQuery;
import io.llmservice.WhatIfReport;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.MutableClock;
import io.llmservice.core.internal.routing.BuiltInStrategies;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test: a month of 5,000 calls recorded through a real stand-in program under
 * {@code preference}, replayed under {@code cost-optimized}; every replayed choice equals the first
 * candidate {@code route()} of a service built on the proposed configuration returns for the same request.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the stand-in is a /bin/sh script")
class WhatIfReplayIT {
    private static final int CALLS = 5_000;
    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    /**
     * Answers with the prompt's size in bytes / 4 as input tokens and 400 output tokens; tool beta fails
     * on mid when the prompt's size is a multiple of 7 (so some requests fall back and have two records).
     */
    private Path standIn() throws IOException {
        Path script = dir.resolve("stand-in");
        Files.writeString(script, """
                #!/bin/sh
                n=$(wc -c | tr -d ' ')
                if [ "$1" = beta ] && [ "$3" = mid-v1 ] && [ $((n % 7)) -eq 0 ]; then
                  echo "overloaded" >&2
                  exit 1
                fi
                printf '{"text": "ok", "in": %d, "out": 400}\\n' $((n / 4))
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    static String yaml(Path binary, String strategy) {
        return """
                models:
                  big:   {provider: acme, tier: premium,  context_window: 200000, pricing: {input: 15, output: 75, cache_read: 1.5, cache_write: 18.75}}
                  mid:   {provider: acme, tier: standard, context_window: 200000, pricing: {input: 3, output: 15, cache_read: 0.3, cache_write: 3.75}}
                  small: {provider: acme, tier: economy,  context_window: 16000,  pricing: {input: 0.8, output: 4, cache_read: 0.08, cache_write: 1}}
                tools:
                  acme:
                    type: cli
                    binary: "%1$s"
                    args: ["acme", "--model", "{model}"]
                    models: {big: big-v1, mid: mid-v1, small: small-v1}
                    output: {format: json, text: $.text, input_tokens: $.in, output_tokens: $.out}
                    timeout: 30s
                  beta:
                    type: cli
                    binary: "%1$s"
                    args: ["beta", "--model", "{model}"]
                    models: {mid: mid-v1, small: small-v1}
                    output: {format: json, text: $.text, input_tokens: $.in, output_tokens: $.out}
                    timeout: 30s
                agents:
                  reviewer: {team: platform, tool: acme, model: big, fallbacks: [{tool: beta, model: mid}]}
                  writer: {team: docs, tool: beta, model: mid, fallbacks: [{tool: acme, model: small}]}
                  triage: {team: platform, tool: acme, model: small, fallbacks: [{tool: beta, model: small}]}
                policies:
                  routing: {strategy: %2$s, small_prompt_tokens: 1500}
                """.formatted(binary, strategy);
    }

    /** A seeded mix: mostly small prompts, some medium, a few larger than the small model's window. */
    private static LlmRequest request(Random rnd) {
        String agent = List.of("reviewer", "reviewer", "writer", "triage").get(rnd.nextInt(4));
        int size = switch (rnd.nextInt(10)) {
            case 0 -> 64_000 + rnd.nextInt(40_000);        // ~16-26k tokens: above small's window
            case 1, 2, 3 -> 6_000 + rnd.nextInt(30_000);    // ~1.5-9k tokens
            default -> 200 + rnd.nextInt(5_800);            // up to ~1.5k tokens
        };
        LlmRequest.Builder b = LlmRequest.builder("x".repeat(size)).agent(agent);
        int hint = rnd.nextInt(10);
        if (hint < 2) {
            b.complexity(Complexity.SIMPLE);
        } else if (hint < 4) {
            b.complexity(Complexity.MEDIUM);
        } else if (hint < 5) {
            b.complexity(Complexity.COMPLEX);
        }
        if (rnd.nextInt(40) == 0) {
            b.model("mid");
        }
        return b.build();
    }

    @Test
    void monthUnderPreference_replayedUnderCostOptimized_choosesWhatRouteChooses() throws IOException {
        Path binary = standIn();
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        MutableClock clock = MutableClock.at(START.toString());
        Map<String, LlmRequest> sent = new HashMap<>();
        Duration step = Duration.between(START, END).dividedBy(CALLS);
        LlmConfig proposed = LlmService.builder()
                .config(ConfigSource.text("proposed.yaml", yaml(binary, "cost-optimized")))
                .environment(Map.of()).loadConfig();
        WhatIfReport report;
        try (LlmService recorded = LlmService.builder()
                .config(ConfigSource.text("recorded.yaml", yaml(binary, "preference")))
                .clock(clock).telemetryStore(store).environment(Map.of()).build()) {
            Random rnd = new Random(17);
            for (int i = 0; i < CALLS; i++) {
                LlmRequest request = request(rnd);
                LlmResponse response = recorded.route(request).execute();
                sent.put(response.requestId(), request);
                clock.advance(step);
            }
            report = recorded.whatIf(proposed, StatsQuery.builder().since(START).until(END).build());
        }
        List<InvocationRecord> all = store.all();
        assertThat(all).hasSizeGreaterThan(CALLS);   // some requests fell back: two records

        List<Decision> decisions = new ArrayList<>();
        new WhatIfReplay(proposed, new BuiltInStrategies.CostOptimized().create(proposed.policies().routing()),
                decisions::add).replay(START, END, sink -> store.scanRecords(START, END, sink));
        assertThat(decisions).hasSize(CALLS);

        List<String> replayed = new ArrayList<>();
        List<String> routed = new ArrayList<>();
        try (LlmService proposedService = LlmService.builder()
                .config(ConfigSource.text("proposed.yaml", yaml(binary, "cost-optimized")))
                .telemetryStore(new InMemoryTelemetryStore()).environment(Map.of()).build()) {
            for (Decision d : decisions) {
                Candidate first = proposedService.route(sent.get(d.requestId())).plan().chosen().orElseThrow();
                replayed.add(d.requestId() + " " + d.chosenTool() + "/" + d.chosenModel());
                routed.add(d.requestId() + " " + first.tool() + "/" + first.model());
            }
        }
        assertThat(replayed).isEqualTo(routed);
        // not vacuous: the two strategies disagree on many requests
        long moved = all.stream().filter(r -> r.outcome() == io.llmservice.Outcome.SUCCESS).count()
                - decisions.stream().filter(d -> d.chosenModel().equals(
                        all.stream().filter(r -> r.requestId().equals(d.requestId())
                                && r.outcome() == io.llmservice.Outcome.SUCCESS).findFirst().orElseThrow().model()))
                .count();
        assertThat(moved).isGreaterThan(CALLS / 5);

        // the service's whatIf is the same replay
        assertThat(report.requests()).isEqualTo(CALLS);
        assertThat(report.total().proposedUsd()).isEqualByComparingTo(decisions.stream().map(Decision::proposedUsd)
                .reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(report.total().recordedUsd()).isEqualByComparingTo(all.stream()
                .map(r -> r.costUsd().orElse(BigDecimal.ZERO)).reduce(BigDecimal.ZERO, BigDecimal::add));
        assertThat(report.total().proposedUsd()).isLessThan(report.total().recordedUsd());
        assertThat(decisions).allMatch(Decision::repriced);
    }

    @Test
    void downgradeBudgetNoModelOfTheToolFits_replayEndsWhereExecuteEnds_onTheFallback() throws IOException {
        // a {tool: acme} budget no acme model fits: a real call is refused on acme/big, finds no cheaper acme
        // model, and FallbackStep goes on to beta/mid; the replay must end there too
        Path binary = standIn();
        String budget = "  budgets:\n    - {name: acme-daily, scope: {tool: acme}, period: daily,"
                + " limit: {usd: 0.000001, type: hard}, on_exceed: downgrade}\n";
        LlmRequest request = LlmRequest.builder("x".repeat(1002)).agent("reviewer").build();
        InMemoryTelemetryStore store = new InMemoryTelemetryStore();
        MutableClock clock = MutableClock.at(START.plus(Duration.ofHours(10)).toString());
        try (LlmService recorded = LlmService.builder()
                .config(ConfigSource.text("recorded.yaml", yaml(binary, "preference")))
                .clock(clock).telemetryStore(store).environment(Map.of()).build()) {
            assertThat(recorded.route(request).execute().model()).isEqualTo("big");
        }
        String proposedYaml = yaml(binary, "preference") + budget;
        LlmResponse real;
        try (LlmService proposedService = LlmService.builder()
                .config(ConfigSource.text("proposed.yaml", proposedYaml)).clock(clock)
                .telemetryStore(new InMemoryTelemetryStore()).environment(Map.of()).build()) {
            real = proposedService.route(request).execute();
        }
        assertThat(real.tool() + "/" + real.model()).isEqualTo("beta/mid");

        LlmConfig proposed = LlmService.builder().config(ConfigSource.text("proposed.yaml", proposedYaml))
                .environment(Map.of()).loadConfig();
        List<Decision> decisions = new ArrayList<>();
        new WhatIfReplay(proposed, new BuiltInStrategies.Preference().create(proposed.policies().routing()),
                decisions::add).replay(START, END, sink -> store.scanRecords(START, END, sink));
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.finalTool() + "/" + d.finalModel()).isEqualTo(real.tool() + "/" + real.model());
            assertThat(d.refusedBy()).isEmpty();
            assertThat(d.proposedUsd()).isEqualByComparingTo(real.costUsd().orElseThrow());
        });
    }
}
