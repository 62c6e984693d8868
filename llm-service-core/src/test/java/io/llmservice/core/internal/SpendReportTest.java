package io.llmservice.core.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmService;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.ReportQuery;
import io.llmservice.SpendReport;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.Scope;
import io.llmservice.config.ScopeKind;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.testkit.GeneratedTraffic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpendReportTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOV = LocalDate.of(2026, 11, 1).atStartOfDay(BERLIN).toInstant();
    private static final Instant DEC = LocalDate.of(2026, 12, 1).atStartOfDay(BERLIN).toInstant();

    private final InMemoryTelemetryStore store = new InMemoryTelemetryStore(1_000_000);
    private final List<InvocationRecord> recorded = new ArrayList<>();
    private LlmService llm;

    private LlmService service() {
        TestConfigs config = TestConfigs.create().timezone(BERLIN)
                .budget("platform-monthly", TestConfigs.scope(ScopeKind.TEAM, "platform"), BudgetPeriod.MONTHLY, "60",
                        LimitType.HARD, OnExceed.BLOCK)
                .budget("all-daily", Scope.global(), BudgetPeriod.DAILY, "5", LimitType.SOFT, OnExceed.BLOCK)
                .budget("haiku-weekly", TestConfigs.scope(ScopeKind.MODEL, "claude-haiku-4-5"), BudgetPeriod.WEEKLY,
                        "2", LimitType.HARD, OnExceed.BLOCK);
        llm = Services.build(config.build(), new ScriptedAdapter.Scripts().provider(), store,
                Clock.fixed(Instant.parse("2026-12-07T02:00:00Z"), BERLIN),
                io.llmservice.core.internal.ratelimit.Sleeper.real());
        return llm;
    }

    private LlmService withMonth() {
        new GeneratedTraffic(17, BERLIN, 60).between(LocalDate.of(2026, 10, 30), LocalDate.of(2026, 12, 2), r -> {
            store.record(r);
            recorded.add(r);
        });
        return service();
    }

    @AfterEach
    void close() {
        if (llm != null) {
            llm.close();
        }
    }

    private static ReportQuery november(StatsDimension by) {
        return ReportQuery.builder().from(NOV).to(DEC).by(by).build();
    }

    private static StatsQuery stats(StatsPeriod period, StatsDimension by) {
        return StatsQuery.builder().period(period).groupBy(by).zone(BERLIN).since(NOV).until(DEC).build();
    }

    @Test
    void report_overAGeneratedMonth_equalsStatsForTheSameWindow_inEveryDimension() {
        LlmService llm = withMonth();
        for (StatsDimension by : StatsDimension.values()) {
            SpendReport report = llm.report(november(by));
            Map<String, String> fromReport = new TreeMap<>();
            for (SpendReport.DaySpend d : report.spend()) {
                fromReport.put(d.day() + " " + d.group(), d.requests() + " " + d.attempts() + " "
                        + d.costUsd().stripTrailingZeros().toPlainString());
            }
            Map<String, String> fromStats = new TreeMap<>();
            for (StatsRow r : llm.stats(stats(StatsPeriod.DAY, by)).rows()) {
                fromStats.put(r.period() + " " + r.group(), r.requests() + " " + r.attempts() + " "
                        + r.costUsd().stripTrailingZeros().toPlainString());
            }
            assertThat(fromReport).as("spend per day by " + by).hasSize(fromStats.size()).isEqualTo(fromStats);
            assertThat(report.days()).hasSize(30).startsWith(LocalDate.of(2026, 11, 1))
                    .endsWith(LocalDate.of(2026, 11, 30));
        }
        SpendReport report = llm.report(november(StatsDimension.AGENT));

        List<StatsRow> byModel = llm.stats(stats(StatsPeriod.MONTH, StatsDimension.MODEL)).rows();
        Map<String, String> models = new TreeMap<>();
        byModel.stream().filter(r -> r.inputTokens() + r.outputTokens() + r.cacheReadTokens() + r.cacheWriteTokens() > 0
                        || r.costUsd().signum() != 0)
                .forEach(r -> models.put(r.group(), r.inputTokens() + " " + r.outputTokens() + " " + r.cacheReadTokens()
                        + " " + r.cacheWriteTokens() + " " + r.costUsd().stripTrailingZeros().toPlainString()));
        Map<String, String> reportModels = new TreeMap<>();
        report.tokensByModel().forEach(m -> reportModels.put(m.model(), m.inputTokens() + " " + m.outputTokens() + " "
                + m.cacheReadTokens() + " " + m.cacheWriteTokens() + " " + m.costUsd().stripTrailingZeros().toPlainString()));
        assertThat(reportModels).as("tokens by model").containsOnlyKeys("claude-sonnet-4-5", "claude-haiku-4-5",
                "gpt-5-codex").isEqualTo(models);

        Map<String, String> tools = new TreeMap<>();
        llm.stats(stats(StatsPeriod.MONTH, StatsDimension.TOOL)).rows().stream().filter(r -> r.attempts() > 0)
                .forEach(r -> tools.put(r.group(), r.attempts() + " " + r.p50Latency() + " " + r.p95Latency()));
        Map<String, String> reportTools = new TreeMap<>();
        report.latencyByTool().forEach(t -> reportTools.put(t.tool(), t.attempts() + " " + t.p50() + " " + t.p95()));
        assertThat(reportTools).as("latency by tool").containsOnlyKeys("claude", "codex").isEqualTo(tools);

        Map<String, String> agents = new TreeMap<>();
        llm.stats(stats(StatsPeriod.MONTH, StatsDimension.AGENT)).rows()
                .forEach(r -> agents.put(r.group(), r.requests() + " " + r.succeeded()));
        Map<String, String> reportAgents = new TreeMap<>();
        report.outcomesByAgent().forEach(a -> reportAgents.put(a.agent(), a.requests() + " " + (a.success()
                + a.fallback())));
        assertThat(reportAgents).as("requests per agent").hasSize(5).isEqualTo(agents);
        assertThat(report.outcomesByAgent()).as("the month holds every outcome")
                .anySatisfy(a -> assertThat(a.fallback()).isPositive())
                .anySatisfy(a -> assertThat(a.refused()).isPositive())
                .anySatisfy(a -> assertThat(a.timeout()).isPositive())
                .anySatisfy(a -> assertThat(a.failed()).isPositive());

        long requests = llm.stats(stats(StatsPeriod.MONTH, StatsDimension.AGENT)).rows().stream()
                .mapToLong(StatsRow::requests).sum();
        assertThat(report.totals().requests()).isEqualTo(requests);
        BigDecimal cost = llm.stats(stats(StatsPeriod.MONTH, StatsDimension.AGENT)).rows().stream()
                .map(StatsRow::costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(report.totals().costUsd()).isEqualByComparingTo(cost);
    }

    @Test
    void outcomeMix_followsTheFirstAttemptRule_countedFromTheRecords() {
        LlmService llm = withMonth();
        // The rule, straight from the records: first attempt's outcome, and whether any attempt succeeded.
        Map<String, long[]> expected = new TreeMap<>();
        Map<String, List<InvocationRecord>> byRequest = new HashMap<>();
        recorded.stream().filter(r -> !r.startedAt().isBefore(NOV) && r.startedAt().isBefore(DEC))
                .forEach(r -> byRequest.computeIfAbsent(r.requestId(), k -> new ArrayList<>()).add(r));
        for (List<InvocationRecord> attempts : byRequest.values()) {
            InvocationRecord first = attempts.get(0);
            boolean ok = attempts.stream().anyMatch(r -> r.outcome() == Outcome.SUCCESS);
            int slot = first.outcome() == Outcome.SUCCESS ? 0 : ok ? 1 : switch (first.outcome()) {
                case BUDGET_BLOCKED, RATE_LIMITED, NO_ROUTE -> 2;
                case TIMEOUT -> 4;
                default -> 3;
            };
            expected.computeIfAbsent(first.agent(), a -> new long[5])[slot]++;
        }
        Map<String, List<Long>> actual = new TreeMap<>();
        llm.report(november(StatsDimension.AGENT)).outcomesByAgent().forEach(a -> actual.put(a.agent(),
                List.of(a.success(), a.fallback(), a.refused(), a.failed(), a.timeout())));
        Map<String, List<Long>> want = new TreeMap<>();
        expected.forEach((a, c) -> want.put(a, List.of(c[0], c[1], c[2], c[3], c[4])));
        assertThat(actual).isEqualTo(want);
    }

    @Test
    void burnDown_cumulatesInScopePerPeriod_resetsAtPeriodStart_andMarksRefusalDays() {
        LlmService llm = withMonth();
        SpendReport report = llm.report(november(StatsDimension.TEAM));
        assertThat(report.budgets()).extracting(SpendReport.BurnDown::budget)
                .containsExactly("platform-monthly", "all-daily", "haiku-weekly");

        SpendReport.BurnDown platform = report.budgets().get(0);
        assertThat(platform.limitUsd()).isEqualByComparingTo("60");
        assertThat(platform.warnAtUsd()).isEqualByComparingTo("48");
        BigDecimal platformStats = llm.stats(stats(StatsPeriod.MONTH, StatsDimension.TEAM)).rows().stream()
                .filter(r -> r.group().equals("platform")).map(StatsRow::costUsd).findFirst().orElseThrow();
        assertThat(platform.days()).hasSize(30);
        assertThat(platform.days().get(29).cumulativeUsd()).isEqualByComparingTo(platformStats);

        SpendReport.BurnDown daily = report.budgets().get(1);
        Map<LocalDate, BigDecimal> perDay = new HashMap<>();
        report.spend().forEach(d -> perDay.merge(d.day(), d.costUsd(), BigDecimal::add));
        for (SpendReport.BurnDownDay d : daily.days()) {
            assertThat(d.cumulativeUsd()).as("a daily budget starts again every day: " + d.day())
                    .isEqualByComparingTo(d.spentUsd())
                    .isEqualByComparingTo(perDay.getOrDefault(d.day(), BigDecimal.ZERO));
        }

        // Weekly: 2026-11-02 is a Monday; the cumulative spend restarts there.
        SpendReport.BurnDown haiku = report.budgets().get(2);
        SpendReport.BurnDownDay monday = haiku.days().get(1);
        assertThat(monday.day()).isEqualTo(LocalDate.of(2026, 11, 2));
        assertThat(monday.period()).isEqualTo("weekly 2026-W45");
        assertThat(monday.cumulativeUsd()).isEqualByComparingTo(monday.spentUsd());
        BigDecimal haikuStats = llm.stats(stats(StatsPeriod.MONTH, StatsDimension.MODEL)).rows().stream()
                .filter(r -> r.group().equals("claude-haiku-4-5")).map(StatsRow::costUsd).findFirst().orElseThrow();
        assertThat(haiku.days().stream().map(SpendReport.BurnDownDay::spentUsd).reduce(BigDecimal.ZERO, BigDecimal::add))
                .as("a model scope counts sub-agent shares under their model, as stats by model do")
                .isEqualByComparingTo(haikuStats);

        Map<LocalDate, Long> refusals = new TreeMap<>();
        recorded.stream().filter(r -> r.outcome() == Outcome.BUDGET_BLOCKED && !r.startedAt().isBefore(NOV)
                        && r.startedAt().isBefore(DEC))
                .forEach(r -> refusals.merge(LocalDate.ofInstant(r.startedAt(), BERLIN), 1L, Long::sum));
        Map<LocalDate, Long> marked = new TreeMap<>();
        daily.days().stream().filter(d -> d.refusals() > 0).forEach(d -> marked.put(d.day(), d.refusals()));
        assertThat(marked).isNotEmpty().isEqualTo(refusals);
    }

    private void spend(String requestId, Instant at, String team, String model, String usd) {
        store.record(InvocationRecord.builder().requestId(requestId).attempt(1).startedAt(at).agent("code-reviewer")
                .team(java.util.Optional.of(team)).tool("claude").model(model).outcome(Outcome.SUCCESS)
                .usage(io.llmservice.Usage.of(10, 5, 0, 0)).costUsd(new BigDecimal(usd))
                .costSource(io.llmservice.CostSource.COMPUTED).latency(java.time.Duration.ofSeconds(1)).build());
    }

    private static Instant berlin(int month, int day, int hour) {
        return LocalDate.of(2026, month, day).atTime(hour, 0).atZone(BERLIN).toInstant();
    }

    @Test
    void burnDown_ofAWindowStartingMidPeriod_carriesInWhatThePeriodSpentBeforeIt() {
        // 2026-11-01 is a Sunday: its week 2026-W44 began on Monday 2026-10-26.
        spend("w43", berlin(10, 25, 12), "platform", "claude-haiku-4-5", "1.00");    // week before: not carried
        spend("w44", berlin(10, 30, 12), "platform", "claude-haiku-4-5", "0.40");    // same week: carried in
        spend("oct", berlin(10, 31, 23), "platform", "claude-sonnet-4-5", "5.00");  // 22:00Z, October in Berlin
        spend("nov1", berlin(11, 1, 9), "platform", "claude-haiku-4-5", "0.10");
        spend("nov3", berlin(11, 3, 9), "platform", "claude-sonnet-4-5", "2.00");
        spend("nov20", berlin(11, 20, 9), "platform", "claude-sonnet-4-5", "3.00");
        LlmService llm = service();

        SpendReport november = llm.report(november(StatsDimension.TEAM));
        assertThat(november.totals().costUsd()).as("rows before the window open budgets, nothing else")
                .isEqualByComparingTo("5.10");
        assertThat(november.spend()).allSatisfy(d -> assertThat(d.day()).isAfterOrEqualTo(LocalDate.of(2026, 11, 1)));
        SpendReport.BurnDown monthly = november.budgets().get(0);
        assertThat(monthly.openingUsd()).as("November's report starts with the month").isEqualByComparingTo("0");
        assertThat(monthly.days().get(0).cumulativeUsd()).isEqualByComparingTo("0.10");
        SpendReport.BurnDown daily = november.budgets().get(1);
        assertThat(daily.openingUsd()).isEqualByComparingTo("0");
        SpendReport.BurnDown weekly = november.budgets().get(2);
        assertThat(weekly.openingUsd()).isEqualByComparingTo("0.40");
        assertThat(weekly.days().get(0).spentUsd()).isEqualByComparingTo("0.10");
        assertThat(weekly.days().get(0).cumulativeUsd()).as("Nov 1 includes Oct 30 of the same week")
                .isEqualByComparingTo("0.50");
        assertThat(weekly.days().get(1).cumulativeUsd()).as("Monday Nov 2 starts 2026-W45 at zero")
                .isEqualByComparingTo("0");
        StringWriter html = new StringWriter();
        llm.writeReport(november, html);
        assertThat(html.toString()).contains("Carried in: $0.4000 spent in weekly 2026-W44 before this report began");

        SpendReport secondHalf = llm.report(ReportQuery.builder().from(berlin(11, 15, 0)).to(DEC)
                .by(StatsDimension.TEAM).build());
        monthly = secondHalf.budgets().get(0);
        assertThat(monthly.openingUsd()).as("November before the 15th, not October").isEqualByComparingTo("2.10");
        assertThat(monthly.days().get(0).day()).isEqualTo(LocalDate.of(2026, 11, 15));
        assertThat(monthly.days().get(monthly.days().size() - 1).cumulativeUsd()).isEqualByComparingTo("5.10");
        assertThat(secondHalf.totals().costUsd()).isEqualByComparingTo("3.00");
    }

    @Test
    void openingBalance_isCutWhereTheBudgetsPeriodBegins_whenTheReportsZoneDiffers() {
        // November in UTC starts at 01:00 in Berlin: the monthly budget's November began an hour earlier.
        spend("berlin-nov", Instant.parse("2026-10-31T23:30:00Z"), "platform", "claude-sonnet-4-5", "0.25");
        spend("berlin-oct", Instant.parse("2026-10-31T22:45:00Z"), "platform", "claude-sonnet-4-5", "4.00");
        spend("utc-nov", Instant.parse("2026-11-01T00:15:00Z"), "platform", "claude-sonnet-4-5", "0.50");
        LlmService llm = service();
        SpendReport utc = llm.report(ReportQuery.builder().from(Instant.parse("2026-11-01T00:00:00Z"))
                .to(Instant.parse("2026-12-01T00:00:00Z")).zone(java.time.ZoneOffset.UTC).by(StatsDimension.TEAM).build());
        assertThat(utc.totals().costUsd()).isEqualByComparingTo("0.50");
        SpendReport.BurnDown monthly = utc.budgets().get(0);
        assertThat(monthly.openingUsd()).isEqualByComparingTo("0.25");
        assertThat(monthly.days().get(0).day()).as("budget days are Berlin's").isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(monthly.days().get(0).cumulativeUsd()).isEqualByComparingTo("0.75");
    }

    @Test
    void refusalMarks_countTheRefusalsInScopeOfAnyBudget_andSaySo() {
        spend("ok", berlin(11, 5, 9), "platform", "claude-sonnet-4-5", "0.50");
        // The team budget refused; the log keeps the outcome, the rollups not which budget it was.
        store.record(InvocationRecord.builder().requestId("no").attempt(1).startedAt(berlin(11, 5, 10))
                .agent("code-reviewer").team(java.util.Optional.of("platform")).tool("claude").model("claude-sonnet-4-5")
                .outcome(Outcome.BUDGET_BLOCKED).usage(io.llmservice.Usage.unknown())
                .costSource(io.llmservice.CostSource.UNKNOWN).latency(java.time.Duration.ZERO).errorCode("LLM-020")
                .errorSummary("budget 'platform-monthly' (monthly 2026-11) refused the request").build());
        LlmService llm = service();
        SpendReport november = llm.report(november(StatsDimension.TEAM));
        List<Long> onTheFifth = november.budgets().stream().map(b -> b.days().get(4).refusals()).toList();
        assertThat(onTheFifth).as("platform-monthly, all-daily (global, though it did not refuse), haiku-weekly")
                .containsExactly(1L, 1L, 0L);
        StringWriter html = new StringWriter();
        llm.writeReport(november, html);
        assertThat(html.toString()).contains("1 call in this scope refused by a budget (this one or another)",
                        "▼ days with calls in this scope refused by any budget", "Refused in scope (any budget)")
                .doesNotContain("refused by budgets", "Refused calls<");
    }

    @Test
    void modelScopedBurnDown_countsSubAgentSharesUnderTheirModel_andSaysHowTheLedgerDiffers() {
        // A sonnet attempt whose haiku sub-agent cost $0.30 of its $1.00: the budget {model: claude-haiku-4-5}
        // was not charged (the attempt's model is sonnet); the rollups book the share under haiku.
        store.record(InvocationRecord.builder().requestId("sub").attempt(1).startedAt(berlin(11, 5, 9))
                .agent("code-reviewer").team(java.util.Optional.of("platform")).tool("claude").model("claude-sonnet-4-5")
                .outcome(Outcome.SUCCESS).usage(io.llmservice.Usage.of(100, 50, 0, 0)).costUsd(new BigDecimal("1.00"))
                .costSource(io.llmservice.CostSource.TOOL_REPORTED).latency(java.time.Duration.ofSeconds(1))
                .modelUsage(List.of(new io.llmservice.ModelUsage("claude-haiku-4-5", io.llmservice.Usage.of(30, 10, 0, 0),
                        java.util.Optional.of(new BigDecimal("0.30"))))).build());
        LlmService llm = service();
        SpendReport november = llm.report(november(StatsDimension.TEAM));
        SpendReport.BurnDown haiku = november.budgets().get(2);
        assertThat(haiku.scope().keys()).containsEntry(ScopeKind.MODEL, "claude-haiku-4-5");
        assertThat(haiku.days().get(4).spentUsd()).isEqualByComparingTo("0.30");
        assertThat(november.budgets().get(0).days().get(4).spentUsd()).as("a team scope counts the whole attempt")
                .isEqualByComparingTo("1.00");
        StringWriter html = new StringWriter();
        llm.writeReport(november, html);
        String note = "Its scope names a model: here a sub-agent&#39;s share counts under the sub-agent&#39;s own model";
        assertThat(html.toString()).as("once: only the model-scoped budget").containsOnlyOnce(note)
                .contains("A call whose cost is unknown counts nothing here");
        assertThat(html.toString().indexOf(note)).isGreaterThan(html.toString().indexOf("<h3>haiku-weekly</h3>"));
    }

    @Test
    void burnDownPeriods_areLabelledAsTheBudgetsStandingLabelsThem() {
        LlmService llm = service();   // now: 2026-12-07T02:00Z
        SpendReport december = llm.report(ReportQuery.builder().period(StatsPeriod.MONTH).build());
        List<String> today = new ArrayList<>();
        for (SpendReport.BurnDown b : december.budgets()) {
            today.add(b.days().stream().filter(d -> d.day().equals(LocalDate.of(2026, 12, 7))).findFirst()
                    .orElseThrow().period());
        }
        assertThat(today).containsExactly("monthly 2026-12", "daily 2026-12-07", "weekly 2026-W50")
                .isEqualTo(llm.budgets().stream().map(io.llmservice.BudgetStatus::period).toList());
    }

    @Test
    void writeReport_isOneSelfContainedFile_withAChartAndATablePerSection() {
        LlmService llm = withMonth();
        StringWriter html = new StringWriter();
        llm.writeReport(llm.report(november(StatsDimension.AGENT)), html);
        String page = html.toString();
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<style>")
                .doesNotContain("<script", "<link", "src=\"http", "href=\"http", "@import", "url(");
        assertThat(page).doesNotContain("http://", "https://");   // inline SVG needs no xmlns
        for (String section : List.of("spend", "budgets", "tokens", "latency", "outcomes")) {
            String body = page.substring(page.indexOf("<section id=\"" + section + "\">"));
            body = body.substring(0, body.indexOf("</section>"));
            assertThat(body).as(section).contains("<svg class=\"chart\"", "<table>", "class=\"mark\"");
        }
        assertThat(page).contains("2026-11-01 to 2026-11-30 (Europe/Berlin)", "llm-service route --explain");
    }

    @Test
    void writeReport_escapesEveryNameFromTheLog() {
        String hostile = "<script>alert('x')</script>&\"";
        store.record(InvocationRecord.builder().requestId("h1").attempt(1).startedAt(NOV.plusSeconds(3600))
                .agent(hostile).team(java.util.Optional.of("t<b>")).tool("tool<i>").model("m\"onload=\"x")
                .outcome(Outcome.SUCCESS).usage(io.llmservice.Usage.of(10, 5, 0, 0)).costUsd(new BigDecimal("0.5"))
                .costSource(io.llmservice.CostSource.COMPUTED).latency(java.time.Duration.ofSeconds(1)).build());
        LlmService llm = service();
        StringWriter html = new StringWriter();
        llm.writeReport(llm.report(november(StatsDimension.AGENT)), html);
        assertThat(html.toString()).doesNotContain("<script", "t<b>", "tool<i>", "m\"onload")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
    }

    @Test
    void emptyPeriod_saysSoInsteadOfDrawingEmptyCharts() {
        LlmService llm = service();
        SpendReport report = llm.report(november(StatsDimension.AGENT));
        assertThat(report.isEmpty()).isTrue();
        assertThat(report.days()).hasSize(30);
        StringWriter html = new StringWriter();
        llm.writeReport(report, html);
        assertThat(html.toString()).contains("No calls were recorded between 2026-11-01 and 2026-11-30 (Europe/Berlin).")
                .doesNotContain("<svg");
    }

    @Test
    void oneDayPeriod_drawsItsDay() {
        LlmService llm = withMonth();
        SpendReport day = llm.report(ReportQuery.builder().period(StatsPeriod.DAY)
                .from(LocalDate.of(2026, 11, 17).atTime(12, 0).atZone(BERLIN).toInstant()).build());
        assertThat(day.days()).containsExactly(LocalDate.of(2026, 11, 17));
        assertThat(day.from()).isEqualTo(LocalDate.of(2026, 11, 17).atStartOfDay(BERLIN).toInstant());
        assertThat(day.to()).isEqualTo(LocalDate.of(2026, 11, 18).atStartOfDay(BERLIN).toInstant());
        assertThat(day.spend()).isNotEmpty().allSatisfy(d -> assertThat(d.day()).isEqualTo(LocalDate.of(2026, 11, 17)));
        StringWriter html = new StringWriter();
        llm.writeReport(day, html);
        assertThat(html.toString()).contains("<svg class=\"chart\"", "class=\"mark\"", "1 day");
    }

    @Test
    void periodWithoutFrom_isTheCurrentOneInPoliciesTimezone() {
        LlmService llm = service();   // now: 2026-12-07T02:00Z, 03:00 in Berlin
        SpendReport week = llm.report(ReportQuery.builder().period(StatsPeriod.WEEK).build());
        assertThat(week.zone()).isEqualTo(BERLIN);
        assertThat(week.days()).hasSize(7).startsWith(LocalDate.of(2026, 12, 7));
    }

    @Test
    void badWindows_areRefusedNamingTheValues() {
        LlmService llm = service();
        assertThatThrownBy(() -> ReportQuery.builder().period(StatsPeriod.MONTH).to(DEC).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period month and to " + DEC);
        assertThatThrownBy(() -> ReportQuery.builder().from(DEC).to(NOV).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> llm.report(ReportQuery.builder().from(Instant.parse("2027-01-01T00:00:00Z")).build()))
                .isInstanceOf(LlmServiceException.class)
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("is empty");
    }
}
