package io.llmservice.spi;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RollupContributionsTest {
    private static final Instant T = Instant.parse("2026-12-01T23:50:00Z");

    private static InvocationRecord.Builder attempt(int n, Instant at, String tool, String model, Outcome outcome) {
        return InvocationRecord.builder().requestId("r").attempt(n).startedAt(at).agent("a").team("t").tool(tool)
                .model(model).outcome(outcome).latency(Duration.ofMillis(100 * n));
    }

    @Test
    void firstAttempt_countsTheRequestInEveryGrouping_inItsOwnRow() {
        InvocationRecord r = attempt(1, T, "x", "m", Outcome.SUCCESS).usage(Usage.of(10, 2, 0, 0))
                .costUsd(new BigDecimal("0.01")).build();
        List<RollupRow> rows = RollupContributions.of(r, List.of());
        RollupKey own = new RollupKey(Instant.parse("2026-12-01T23:45:00Z"), "a", "t", "x", "m", Outcome.SUCCESS);
        assertThat(rows).containsExactly(RollupRow.builder(own).attempts(1).requests(1, 1, 1).succeeded(1, 1, 1)
                .tokens(10, 2, 0, 0).costUsd(new BigDecimal("0.01")).latency(LatencyHistogram.of(Duration.ofMillis(100)))
                .build());
    }

    @Test
    void successInALaterQuarterHour_isCreditedToTheRowThatCountedTheRequest() {
        InvocationRecord first = attempt(1, T, "x", "m1", Outcome.FAILED).build();
        InvocationRecord second = attempt(2, T.plusSeconds(1200), "y", "m1", Outcome.SUCCESS).build();
        List<RollupRow> rows = RollupContributions.of(second, List.of(PriorAttempt.of(first)));
        RollupKey firstRow = new RollupKey(Instant.parse("2026-12-01T23:45:00Z"), "a", "t", "x", "m1", Outcome.FAILED);
        RollupKey own = new RollupKey(Instant.parse("2026-12-02T00:00:00Z"), "a", "t", "y", "m1", Outcome.SUCCESS);
        assertThat(rows).extracting(RollupRow::key).containsExactlyInAnyOrder(own, firstRow);
        RollupRow mine = rows.stream().filter(r -> r.key().equals(own)).findFirst().orElseThrow();
        RollupRow earlier = rows.stream().filter(r -> r.key().equals(firstRow)).findFirst().orElseThrow();
        // new tool: the request counts by tool here, with its success; agent and model counted it in the first row
        assertThat(List.of(mine.attempts(), mine.requestsByRequest(), mine.requestsByTool(), mine.requestsByModel(),
                mine.succeededByRequest(), mine.succeededByTool(), mine.succeededByModel()))
                .containsExactly(1L, 0L, 1L, 0L, 0L, 1L, 0L);
        assertThat(List.of(earlier.attempts(), earlier.requestsByRequest(), earlier.requestsByTool(),
                earlier.requestsByModel(), earlier.succeededByRequest(), earlier.succeededByTool(),
                earlier.succeededByModel())).containsExactly(0L, 0L, 0L, 0L, 1L, 0L, 1L);
        assertThat(earlier.latency().isEmpty()).isTrue();
    }

    @Test
    void subAgentShare_movesItsTokensAndCost_andCountsTheRequestUnderItsModel() {
        InvocationRecord r = attempt(1, T, "claude", "sonnet", Outcome.SUCCESS).usage(Usage.of(600, 50, 0, 0))
                .costUsd(new BigDecimal("0.0020"))
                .modelUsage(List.of(ModelUsage.of("sonnet", Usage.of(400, 30, 0, 0), new BigDecimal("0.0017")),
                        ModelUsage.of("haiku", Usage.of(200, 20, 0, 0), new BigDecimal("0.0003"))))
                .build();
        List<RollupRow> rows = RollupContributions.of(r, List.of());
        assertThat(rows).hasSize(2);
        RollupRow haiku = rows.stream().filter(x -> x.key().model().equals("haiku")).findFirst().orElseThrow();
        RollupRow sonnet = rows.stream().filter(x -> x.key().model().equals("sonnet")).findFirst().orElseThrow();
        assertThat(List.of(haiku.attempts(), haiku.requestsByModel(), haiku.succeededByModel(),
                haiku.requestsByRequest(), haiku.inputTokens())).containsExactly(0L, 1L, 1L, 0L, 200L);
        assertThat(haiku.costUsd()).isEqualByComparingTo("0.0003");
        assertThat(List.of(sonnet.attempts(), sonnet.requestsByModel(), sonnet.requestsByRequest(),
                sonnet.inputTokens())).containsExactly(1L, 1L, 1L, 400L);
        assertThat(sonnet.costUsd()).isEqualByComparingTo("0.0017");
    }

    @Test
    void refusal_countsARequestOnly() {
        InvocationRecord r = attempt(0, T, "", "", Outcome.NO_ROUTE).latency(Duration.ZERO).build();
        assertThat(RollupContributions.of(r, List.of())).singleElement().satisfies(row -> {
            assertThat(List.of(row.attempts(), row.requestsByRequest(), row.requestsByTool(), row.requestsByModel(),
                    row.succeededByRequest())).containsExactly(0L, 1L, 1L, 1L, 0L);
            assertThat(row.latency().isEmpty()).isTrue();
        });
    }

    @Test
    void laterAttempts_areIgnoredAsEarlier_andASecondSuccessIsNotCountedTwice() {
        InvocationRecord first = attempt(1, T, "x", "m", Outcome.SUCCESS).build();
        InvocationRecord again = attempt(2, T, "x", "m", Outcome.SUCCESS).build();
        InvocationRecord later = attempt(3, T, "x", "m", Outcome.FAILED).build();
        List<RollupRow> rows = RollupContributions.of(again, List.of(PriorAttempt.of(first), PriorAttempt.of(later)));
        assertThat(rows).singleElement().satisfies(row -> assertThat(List.of(row.attempts(), row.requestsByRequest(),
                row.succeededByRequest(), row.succeededByTool(), row.succeededByModel()))
                .containsExactly(1L, 0L, 0L, 0L, 0L));
    }

    @Test
    void report_addsRowsUp_inTheQueryZone_withinTheWindowWidenedToQuarterHours() {
        List<RollupRow> rows = new ArrayList<>();
        List<PriorAttempt> earlier = new ArrayList<>();
        for (InvocationRecord r : List.of(attempt(1, T, "x", "m1", Outcome.FAILED).build(),
                attempt(2, T.plusSeconds(1200), "x", "m2", Outcome.SUCCESS).build())) {
            rows.addAll(RollupContributions.of(r, earlier));
            earlier.add(PriorAttempt.of(r));
        }
        StatsQuery utc = StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build();
        assertThat(RollupStats.report(utc, rows).rows()).extracting(StatsRow::period, StatsRow::requests,
                StatsRow::succeeded, StatsRow::attempts).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2026-12-01", 1L, 1L, 1L),
                org.assertj.core.groups.Tuple.tuple("2026-12-02", 0L, 0L, 1L));
        StatsQuery berlin = StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.MODEL)
                .zone(ZoneId.of("Europe/Berlin")).since(Instant.parse("2026-12-01T23:59:00Z")).build();
        assertThat(RollupStats.windowStart(berlin)).contains(Instant.parse("2026-12-01T23:45:00Z"));
        assertThat(RollupStats.report(berlin, rows).rows()).extracting(StatsRow::period, StatsRow::group,
                StatsRow::requests, StatsRow::succeeded).containsExactly(
                org.assertj.core.groups.Tuple.tuple("2026-12-02", "m1", 1L, 0L),
                org.assertj.core.groups.Tuple.tuple("2026-12-02", "m2", 1L, 1L));
        StatsQuery until = StatsQuery.builder().until(Instant.parse("2026-12-02T00:00:01Z")).build();
        assertThat(RollupStats.windowEnd(until)).contains(Instant.parse("2026-12-02T00:15:00Z"));
        assertThat(RollupStats.windowEnd(StatsQuery.builder().until(T).build())).contains(Instant.parse("2026-12-02T00:00:00Z"));
    }

    @Test
    void rowsAndKeys_refuseWhatCannotBeAdded() {
        RollupKey k = new RollupKey(Instant.parse("2026-12-01T10:15:00Z"), "a", "", "x", "m", Outcome.SUCCESS);
        assertThatThrownBy(() -> RollupRow.builder(k).build().plus(RollupRow.builder(k.withModel("n")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot add rollup rows of different keys");
        assertThatThrownBy(() -> new RollupKey(Instant.parse("2026-12-01T10:16:00Z"), "a", "", "x", "m", Outcome.SUCCESS))
                .hasMessage("RollupKey.start must be the start of a 15-minute bucket, was 2026-12-01T10:16:00Z "
                        + "(use RollupKey.bucketStart)");
        assertThat(RollupKey.bucketStart(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo(Instant.parse("1969-12-31T23:45:00Z"));
        assertThat(new PriorAttempt(1, T, "x", "m", Outcome.FAILED, Set.of("h")).bookedUnder("h")).isTrue();
    }
}
