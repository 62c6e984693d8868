package io.llmservice.core.internal.whatif;

import io.llmservice.Complexity;
import io.llmservice.ConfigSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.WhatIfBudget;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;
import io.llmservice.config.LlmConfig;
import io.llmservice.core.internal.routing.BuiltInStrategies;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A small case computed by hand. Prices per million tokens: big $10/$50, mid $3/$15, small $1/$5; every
 * answer used 1,000 input and 1,000 output tokens, so it costs $0.06 on big, $0.018 on mid, $0.006 on small.
 */
class WhatIfReplayTest {
    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-11-03T00:00:00Z");

    static final String PROPOSED = """
            models:
              big:   {provider: acme, tier: premium,  context_window: 200000, pricing: {input: 10, output: 50, cache_read: 0, cache_write: 0}}
              mid:   {provider: acme, tier: standard, context_window: 200000, pricing: {input: 3, output: 15, cache_read: 0, cache_write: 0}}
              small: {provider: acme, tier: economy,  context_window: 200000, pricing: {input: 1, output: 5, cache_read: 0, cache_write: 0}}
            tools:
              acme:
                type: cli
                binary: acme
                args: ["run", "--model", "{model}"]
                models: {big: big-v1, mid: mid-v1, small: small-v1}
                output: {format: json, text: $.text}
                timeout: 30s
            agents:
              reviewer: {team: platform, tool: acme, model: big}
              writer: {team: docs, tool: acme, model: mid}
            policies:
              routing: {strategy: cost-optimized, small_prompt_tokens: 2000}
              timezone: Europe/Berlin
              budgets:
                - name: reviewer-daily
                  scope: {agent: reviewer}
                  period: daily
                  limit: {usd: 0.1, type: hard}
                  on_exceed: downgrade
                - name: writer-daily
                  scope: {agent: writer}
                  period: daily
                  limit: {usd: 0.05, type: hard}
                  on_exceed: block
            """;

    static LlmConfig proposed() {
        return LlmService.builder().config(ConfigSource.text("proposed.yaml", PROPOSED)).environment(Map.of())
                .loadConfig();
    }

    static InvocationRecord.Builder record(String id, int attempt, String at, String agent, String model,
                                           Outcome outcome, String cost, RouteInput in) {
        InvocationRecord.Builder b = InvocationRecord.builder().requestId(id).attempt(attempt)
                .startedAt(Instant.parse(at)).agent(agent).tool("acme").model(model).outcome(outcome)
                .latency(Duration.ofSeconds(20)).costUsd(new BigDecimal(cost));
        if (in != null) {
            b.routeInput(in);
        }
        if (outcome == Outcome.SUCCESS) {
            b.usage(Usage.of(1000, 1000, 0, 0));
        }
        return b;
    }

    static RouteInput tokens(long n) {
        return RouteInput.builder(n).build();
    }

    /** The recorded log (under preference: reviewer on big, writer on mid), in start order. */
    static List<InvocationRecord> log() {
        return List.of(
                record("r1", 1, "2026-11-01T10:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(500)).build(),
                record("r2", 1, "2026-11-01T11:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(5000)).build(),
                record("r3", 1, "2026-11-01T12:00:00Z", "writer", "mid", Outcome.SUCCESS, "0.018",
                        RouteInput.builder(5000).complexity(Complexity.COMPLEX).build()).build(),
                record("r4", 1, "2026-11-01T13:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(5000)).build(),
                // 00:30 on Nov 2 in Berlin: a new day for the daily budgets (in UTC it would still be Nov 1)
                record("r5", 1, "2026-11-01T23:30:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(5000)).build(),
                // a failed attempt that billed $0.002, then the fallback answered
                record("r6", 1, "2026-11-02T10:30:00Z", "writer", "mid", Outcome.FAILED, "0.002", tokens(100)).build(),
                record("r6", 2, "2026-11-02T10:30:30Z", "writer", "mid", Outcome.SUCCESS, "0.018", tokens(100)).build(),
                // never answered: no usage to re-price, its $0.01 is carried over
                record("r7", 1, "2026-11-02T11:00:00Z", "reviewer", "big", Outcome.TIMEOUT, "0.01", tokens(5000)).build(),
                // an agent the proposed configuration does not define
                record("r8", 1, "2026-11-02T12:00:00Z", "ghost", "big", Outcome.SUCCESS, "0.05", tokens(5000)).build());
    }

    static WhatIfReport replay(List<InvocationRecord> records, List<Decision> decisions) {
        LlmConfig config = proposed();
        return new WhatIfReplay(config, new BuiltInStrategies.CostOptimized().create(config.policies().routing()),
                decisions::add).replay(FROM, TO, sink -> records.forEach(sink));
    }

    @Test
    void replay_smallCase_totalsMovesAndBudgetsAsComputedByHand() {
        List<Decision> decisions = new ArrayList<>();
        WhatIfReport r = replay(log(), decisions);

        assertThat(r.strategy()).isEqualTo("cost-optimized");
        assertThat(r.from()).isEqualTo(FROM);
        assertThat(r.to()).isEqualTo(TO);
        assertThat(r.requests()).isEqualTo(7);
        // reviewer: r1 0.06 -> 0.006 (economy), r2 0.06 -> 0.06, r4 0.06 -> 0.018 (downgraded), r5 0.06 -> 0.06,
        // r7 0.01 -> 0.01 (carried over); writer: r3 0.018 -> 0 (refused), r6 0.020 -> 0.006
        assertThat(r.agents()).usingRecursiveFieldByFieldElementComparatorIgnoringFields()
                .extracting(WhatIfCost::agent, WhatIfCost::requests, c -> c.recordedUsd().stripTrailingZeros(),
                        c -> c.proposedUsd().stripTrailingZeros())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("reviewer", 5L, new BigDecimal("0.25"), new BigDecimal("0.154")),
                        org.assertj.core.groups.Tuple.tuple("writer", 2L, new BigDecimal("0.038"), new BigDecimal("0.006")));
        assertThat(r.agents().get(0).differenceUsd()).isEqualByComparingTo("-0.096");
        assertThat(r.agents().get(0).percent()).contains(new BigDecimal("-38.40"));
        assertThat(r.agents().get(1).percent()).contains(new BigDecimal("-84.21"));
        WhatIfCost total = r.total();
        assertThat(total.agent()).isEqualTo(WhatIfCost.TOTAL);
        assertThat(total.requests()).isEqualTo(7);
        assertThat(total.recordedUsd()).isEqualByComparingTo("0.288");
        assertThat(total.proposedUsd()).isEqualByComparingTo("0.160");
        assertThat(total.differenceUsd()).isEqualByComparingTo("-0.128");
        assertThat(total.percent()).contains(new BigDecimal("-44.44"));

        assertThat(r.moves()).extracting(m -> m.fromModel() + "->" + (m.toModel().isEmpty() ? m.toTool() : m.toModel())
                        + " x" + m.requests() + " $"
                        + m.recordedUsd().stripTrailingZeros().toPlainString() + "->$"
                        + m.proposedUsd().stripTrailingZeros().toPlainString())
                .containsExactly("big->big x3 $0.13->$0.13", "big->mid x1 $0.06->$0.018",
                        "big->small x1 $0.06->$0.006", "mid->(refused by writer-daily) x1 $0.018->$0", "mid->small x1 $0.02->$0.006");
        assertThat(r.moves()).filteredOn(WhatIfMove::moved).hasSize(4);

        assertThat(r.budgets()).hasSize(2);
        WhatIfBudget reviewer = r.budgets().get(0);
        assertThat(reviewer.budget().name()).isEqualTo("reviewer-daily");
        assertThat(reviewer.refused()).isZero();
        assertThat(reviewer.downgraded()).isEqualTo(1);
        assertThat(reviewer.ranOutOn()).contains(LocalDate.parse("2026-11-01"));
        assertThat(reviewer.periodsRunOut()).isEqualTo(1);
        WhatIfBudget writer = r.budgets().get(1);
        assertThat(writer.refused()).isEqualTo(1);
        assertThat(writer.downgraded()).isZero();
        assertThat(writer.ranOutOn()).contains(LocalDate.parse("2026-11-01"));

        assertThat(r.notReplayed()).singleElement().asString()
                .startsWith("1 request(s) not replayed (recorded $0.05): agent 'ghost': unknown agent 'ghost'");
        assertThat(r.assumptions()).anySatisfy(a -> assertThat(a).startsWith("Token counts are carried over unchanged"))
                .anySatisfy(a -> assertThat(a).startsWith("Answer quality is not measured"))
                .anySatisfy(a -> assertThat(a).startsWith("1 request(s) had no token counts to re-price"))
                .anySatisfy(a -> assertThat(a).contains("Europe/Berlin"));

        assertThat(r.moves()).filteredOn(m -> m.toTool().equals("(refused by writer-daily)"))
                .singleElement().satisfies(m -> assertThat(m.toModel()).isEmpty());
        assertThat(decisions).extracting(Decision::requestId, Decision::chosenModel, Decision::finalModel,
                        Decision::refusedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("r1", "small", "small", Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("r2", "big", "big", Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("r3", "big", "big", Optional.of("writer-daily")),
                        org.assertj.core.groups.Tuple.tuple("r4", "big", "mid", Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("r5", "big", "big", Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("r6", "small", "small", Optional.empty()),
                        org.assertj.core.groups.Tuple.tuple("r7", "big", "big", Optional.empty()));
        // r3 was refused (it costs nothing), r7 had no tokens
        assertThat(decisions).filteredOn(d -> !d.repriced()).extracting(Decision::requestId).containsExactly("r3", "r7");
    }

    @Test
    void replay_recordsWithoutRouteInput_refusedNamingHowManyAndFromWhen() {
        List<InvocationRecord> records = new ArrayList<>();
        records.add(record("old1", 1, "2026-11-01T09:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", null).build());
        records.add(record("old2", 1, "2026-11-01T09:30:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", null).build());
        records.addAll(log());

        assertThatThrownBy(() -> replay(records, new ArrayList<>()))
                .isInstanceOfSatisfying(LlmServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).isEqualTo("2 of the 10 requests between 2026-11-01T00:00:00Z and"
                            + " 2026-11-03T00:00:00Z cannot be replayed: their records lack the route input (prompt"
                            + " token estimate, complexity hint) a replay needs; they were logged from"
                            + " 2026-11-01T09:00:00Z to 2026-11-01T09:30:00Z by a version of llm-service that did not"
                            + " keep it. The log has it from 2026-11-01T10:00:00Z on: replay from then (--since/--from"
                            + " 2026-11-01T10:00:00Z).");
                });
    }

    @Test
    void replay_onlyRecordsWithoutRouteInput_saysNoneHasIt() {
        List<InvocationRecord> records = List.of(
                record("old1", 1, "2026-11-01T09:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", null).build());
        assertThatThrownBy(() -> replay(records, new ArrayList<>()))
                .isInstanceOf(LlmServiceException.class)
                .hasMessageEndingWith("No later record has it: record some traffic with this version first.");
    }

    @Test
    void replay_emptyPeriod_isAReportOfNothing() {
        WhatIfReport r = replay(List.of(), new ArrayList<>());
        assertThat(r.requests()).isZero();
        assertThat(r.agents()).isEmpty();
        assertThat(r.moves()).isEmpty();
        assertThat(r.total().recordedUsd()).isZero();
        assertThat(r.total().percent()).isEmpty();
        assertThat(r.budgets()).extracting(WhatIfBudget::ranOutOn).containsOnly(Optional.empty());
    }

    @Test
    void replay_requestThatNeverEnds_isClosedByTheHorizon_andALateRecordIsLeftOut() {
        // r1's attempt timed out and nothing followed for two hours: r1 is closed (before r2 counts); its
        // record that comes after that is not taken for a new request
        List<InvocationRecord> records = List.of(
                record("r1", 1, "2026-11-01T10:00:00Z", "reviewer", "big", Outcome.TIMEOUT, "0", tokens(5000)).build(),
                record("r2", 1, "2026-11-01T12:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(5000)).build(),
                record("r1", 2, "2026-11-01T12:00:01Z", "reviewer", "big", Outcome.SUCCESS, "0.06", tokens(5000)).build());
        List<Decision> decisions = new ArrayList<>();
        WhatIfReport r = replay(records, decisions);
        assertThat(decisions).extracting(Decision::requestId).containsExactly("r1", "r2");
        assertThat(r.total().recordedUsd()).isEqualByComparingTo("0.06");
        assertThat(r.notReplayed()).containsExactly("1 record(s) came more than 1 h after the attempt before them (or"
                + " after their request had answered): left out of their request");
    }

    static final String FALLBACK = """
            models:
              big: {provider: acme, tier: premium,  context_window: 200000, pricing: {input: 10, output: 50, cache_read: 0, cache_write: 0}}
              mid: {provider: acme, tier: standard, context_window: 200000, pricing: {input: 3, output: 15, cache_read: 0, cache_write: 0}}
            tools:
              acme:
                type: cli
                binary: acme
                args: ["run", "--model", "{model}"]
                models: {big: big-v1, mid: mid-v1}
                output: {format: json, text: $.text}
                timeout: 30s
              beta:
                type: cli
                binary: beta
                args: ["run", "--model", "{model}"]
                models: {mid: mid-v1}
                output: {format: json, text: $.text}
                timeout: 30s
            agents:
              lead: {tool: acme, model: big, fallbacks: [{tool: beta, model: mid}]}
            policies:
              routing: {strategy: preference}
              budgets:
                - name: acme-daily
                  scope: {tool: acme}
                  period: daily
                  limit: {usd: 0.001, type: hard}
                  on_exceed: downgrade
            """;

    @Test
    void replay_downgradeBudgetNoCheaperModelFits_goesOnToTheNextCandidate_asFallbackDoes() {
        // acme-daily refuses big ($0.06) and its cheaper mid ($0.018): FallbackStep then tries beta/mid, which
        // no budget covers
        LlmConfig config = LlmService.builder().config(ConfigSource.text("fallback.yaml", FALLBACK))
                .environment(Map.of()).loadConfig();
        List<Decision> decisions = new ArrayList<>();
        WhatIfReport r = new WhatIfReplay(config, new BuiltInStrategies.Preference().create(config.policies().routing()),
                decisions::add).replay(FROM, TO, sink -> sink.accept(
                        record("r1", 1, "2026-11-01T10:00:00Z", "lead", "big", Outcome.SUCCESS, "0.06", tokens(500))
                                .build()));
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.chosenTool() + "/" + d.chosenModel()).isEqualTo("acme/big");
            assertThat(d.finalTool() + "/" + d.finalModel()).isEqualTo("beta/mid");
            assertThat(d.refusedBy()).isEmpty();
            assertThat(d.proposedUsd()).isEqualByComparingTo("0.018");
        });
        assertThat(r.total().proposedUsd()).isEqualByComparingTo("0.018");
        assertThat(r.moves()).extracting(m -> m.toTool() + "/" + m.toModel()).containsExactly("beta/mid");
        assertThat(r.budgets()).singleElement().satisfies(b -> {
            assertThat(b.refused()).isZero();
            assertThat(b.downgraded()).isEqualTo(1);
        });
    }

    @Test
    void replay_tenThousandRequestsTooLongForEveryModel_oneNotReplayedLinePerAgent() {
        List<InvocationRecord> records = new ArrayList<>();
        Instant at = Instant.parse("2026-11-01T10:00:00Z");
        for (int i = 0; i < 10_000; i++) {
            String agent = i % 2 == 0 ? "reviewer" : "writer";
            records.add(record("r" + i, 1, at.plusSeconds(i).toString(), agent, "big", Outcome.SUCCESS, "0.06",
                    tokens(300_000 + i)).build());
        }
        WhatIfReport r = replay(records, new ArrayList<>());
        assertThat(r.requests()).isZero();
        assertThat(r.notReplayed()).hasSize(2);
        assertThat(r.notReplayed().get(0)).startsWith("5000 request(s) not replayed (recorded $300.00): agent"
                + " 'reviewer': no route under the proposed configuration; the first one: ");
        assertThat(r.notReplayed().get(1)).startsWith("5000 request(s) not replayed (recorded $300.00): agent"
                + " 'writer': no route under the proposed configuration; the first one: ");
    }

    @Test
    void replay_unchangedRoute_keepsTheToolReportedCost_soTheDifferenceIsZero() {
        // the tool reported $0.05 where big's list price for the tokens is $0.06; the proposed routing keeps big
        List<InvocationRecord> records = List.of(
                record("r1", 1, "2026-11-01T10:00:00Z", "reviewer", "big", Outcome.SUCCESS, "0.05", tokens(5000))
                        .build());
        WhatIfReport r = replay(records, new ArrayList<>());
        assertThat(r.moves()).singleElement().satisfies(m -> {
            assertThat(m.moved()).isFalse();
            assertThat(m.proposedUsd()).isEqualByComparingTo("0.05");
        });
        assertThat(r.total().differenceUsd()).isZero();

        // the same model at other prices in the proposed configuration: re-priced at its list price
        LlmConfig config = proposed();
        LlmConfig recorded = LlmService.builder().config(ConfigSource.text("recorded.yaml",
                PROPOSED.replace("input: 10, output: 50", "input: 12, output: 50"))).environment(Map.of()).loadConfig();
        WhatIfReport repriced = new WhatIfReplay(config, recorded,
                new BuiltInStrategies.CostOptimized().create(config.policies().routing()), d -> { })
                .replay(FROM, TO, sink -> records.forEach(sink));
        assertThat(repriced.total().proposedUsd()).isEqualByComparingTo("0.06");
    }

    @Test
    void replay_budgetAssumption_saysWhetherAnyBudgetPeriodIsCut() {
        // the small case starts at midnight UTC, 01:00 in Berlin: both daily budgets' first day is cut
        assertThat(replay(log(), new ArrayList<>()).assumptions())
                .anySatisfy(a -> assertThat(a).endsWith("(here: 'reviewer-daily', 'writer-daily')."));

        String noBudgets = PROPOSED.substring(0, PROPOSED.indexOf("  budgets:"));
        LlmConfig config = LlmService.builder().config(ConfigSource.text("proposed.yaml", noBudgets))
                .environment(Map.of()).loadConfig();
        WhatIfReport r = new WhatIfReplay(config, new BuiltInStrategies.CostOptimized().create(config.policies().routing()),
                d -> { }).replay(FROM, TO, sink -> log().forEach(sink));
        assertThat(r.budgets()).isEmpty();
        assertThat(r.assumptions()).anySatisfy(a -> assertThat(a)
                .endsWith("(here the proposed configuration has no budget to replay)."));
    }
}
