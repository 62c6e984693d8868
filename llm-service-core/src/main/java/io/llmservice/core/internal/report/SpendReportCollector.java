package io.llmservice.core.internal.report;

import io.llmservice.Outcome;
import io.llmservice.SpendReport;
import io.llmservice.StatsDimension;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.core.internal.budget.BudgetWindow;
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.spi.RollupKey;
import io.llmservice.spi.RollupRow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Adds up rollup rows, as a store streams them ({@link io.llmservice.spi.TelemetryStore#scanRollups}),
 * into a {@link SpendReport}. Memory is bounded by days × groups, budgets × days, models, tools and
 * agents, never by the number of rows or calls.
 *
 * <pre>{@code
 * SpendReportCollector c = new SpendReportCollector(window, StatsDimension.AGENT, budgets, policiesZone);
 * store.scanRollups(c.scanFrom(), window.to(), c);
 * SpendReport report = c.report(clock.instant());
 * }</pre>
 *
 * <p><b>Budgets.</b> A row is in a budget's scope when its key matches
 * ({@link io.llmservice.config.Scope#matches}: agent, team, tool and model of the row, so a model scope
 * counts a sub-agent's share under its model, as stats by model do, where the ledger charged the whole
 * attempt to the attempt's model: see {@link SpendReport.BurnDown}). Its day is the local day of its
 * quarter-hour in {@code budgetZone} ({@code policies.timezone}), where budget periods are cut. A window
 * that starts inside a budget period (a weekly budget in a month's report, a monthly one in a report
 * from mid-month) does not start that budget at zero: the rows from the period's start to the window's
 * are read too ({@link #scanFrom}) and carried in as the budget's opening balance; they count nowhere
 * else. Refusals are the {@code budget_blocked} attempts in scope (a refusal before any attempt counts
 * as one), whichever budget refused them: a rollup's key has the outcome, not the refusing budget, so a
 * global budget's chart marks a team budget's refusals too (and refusals because a budget could not be
 * checked). Telling them apart would need the records' error summaries, a scan of the whole window's
 * log. Not thread-safe: one scan at a time.
 */
public final class SpendReportCollector implements Consumer<RollupRow> {
    private final ReportWindow window;
    private final StatsDimension by;
    private final List<BudgetDefinition> budgets;
    private final ZoneId budgetZone;
    /** Per budget: the start of its period holding the window's start; rows from there on open it. */
    private final Instant[] periodStarts;
    private final BigDecimal[] opening;
    private final Instant scanFrom;

    /** Many rows share a quarter-hour: their local days are computed once per quarter-hour. */
    private Instant lastStart;
    private LocalDate lastDay;
    private LocalDate lastBudgetDay;

    private final Map<LocalDate, Map<String, DayGroup>> spend = new TreeMap<>();
    private final List<Map<LocalDate, BudgetDay>> budgetDays = new ArrayList<>();
    private final Map<String, long[]> tokens = new TreeMap<>();
    private final Map<String, BigDecimal> modelCost = new HashMap<>();
    private final Map<String, ToolTally> tools = new TreeMap<>();
    private final Map<String, long[]> outcomes = new TreeMap<>();
    private long requests;
    private long attempts;
    private final long[] totalTokens = new long[4];
    private BigDecimal cost = BigDecimal.ZERO;

    public SpendReportCollector(ReportWindow window, StatsDimension by, List<BudgetDefinition> budgets,
                                ZoneId budgetZone) {
        this.window = Objects.requireNonNull(window, "window");
        this.by = Objects.requireNonNull(by, "by");
        this.budgets = budgets.stream().filter(b -> b.type().equals(BudgetDefinition.DEFAULT_TYPE)).toList();
        this.budgetZone = Objects.requireNonNull(budgetZone, "budgetZone");
        periodStarts = new Instant[this.budgets.size()];
        opening = new BigDecimal[this.budgets.size()];
        LocalDate firstDay = LocalDate.ofInstant(window.from(), budgetZone);
        Instant earliest = window.from();
        for (int i = 0; i < this.budgets.size(); i++) {
            budgetDays.add(new HashMap<>());
            periodStarts[i] = BudgetWindow.firstDay(this.budgets.get(i).period(), firstDay).atStartOfDay(budgetZone)
                    .toInstant();
            opening[i] = BigDecimal.ZERO;
            if (periodStarts[i].isBefore(earliest)) {
                earliest = periodStarts[i];
            }
        }
        scanFrom = RollupKey.bucketStart(earliest);
    }

    /**
     * Where the scan starts: the window's start, or the start of the earliest budget period holding it
     * when that is earlier (rows before the window only open the budgets' balances).
     */
    public Instant scanFrom() {
        return scanFrom;
    }

    @Override
    public void accept(RollupRow row) {
        RollupKey k = row.key();
        if (k.start().isBefore(window.from())) {
            // A quarter-hour counts in the period holding its start, so the comparison is with the exact start.
            for (int i = 0; i < budgets.size(); i++) {
                if (!k.start().isBefore(periodStarts[i])
                        && budgets.get(i).scope().matches(k.agent(), k.team(), k.tool(), k.model())) {
                    opening[i] = opening[i].add(row.costUsd());
                }
            }
            return;
        }
        if (!k.start().equals(lastStart)) {
            lastStart = k.start();
            lastDay = LocalDate.ofInstant(lastStart, window.zone());
            lastBudgetDay = LocalDate.ofInstant(lastStart, budgetZone);
        }
        requests += row.requestsByRequest();
        attempts += row.attempts();
        totalTokens[0] += row.inputTokens();
        totalTokens[1] += row.outputTokens();
        totalTokens[2] += row.cacheReadTokens();
        totalTokens[3] += row.cacheWriteTokens();
        cost = cost.add(row.costUsd());

        DayGroup g = spend.computeIfAbsent(lastDay, d -> new HashMap<>()).computeIfAbsent(row.group(by),
                x -> new DayGroup());
        g.requests += row.requests(by);
        g.attempts += row.attempts();
        g.cost = g.cost.add(row.costUsd());

        long[] t = tokens.computeIfAbsent(k.model(), m -> new long[4]);
        t[0] += row.inputTokens();
        t[1] += row.outputTokens();
        t[2] += row.cacheReadTokens();
        t[3] += row.cacheWriteTokens();
        modelCost.merge(k.model(), row.costUsd(), BigDecimal::add);

        if (row.attempts() > 0) {
            ToolTally tool = tools.computeIfAbsent(k.tool(), x -> new ToolTally());
            tool.attempts += row.attempts();
            tool.latency.add(row.latency());
        }

        if (row.requestsByRequest() != 0 || row.succeededByRequest() != 0) {
            long[] o = outcomes.computeIfAbsent(k.agent(), a -> new long[5]);
            long failedAtLast = row.requestsByRequest() - row.succeededByRequest();
            if (k.outcome() == Outcome.SUCCESS) {
                o[0] += row.requestsByRequest();
            } else {
                o[1] += row.succeededByRequest();
                o[switch (k.outcome()) {
                    case BUDGET_BLOCKED, RATE_LIMITED, NO_ROUTE -> 2;
                    case TIMEOUT -> 4;
                    default -> 3;
                }] += failedAtLast;
            }
        }

        for (int i = 0; i < budgets.size(); i++) {
            if (budgets.get(i).scope().matches(k.agent(), k.team(), k.tool(), k.model())) {
                BudgetDay d = budgetDays.get(i).computeIfAbsent(lastBudgetDay, x -> new BudgetDay());
                d.cost = d.cost.add(row.costUsd());
                if (k.outcome() == Outcome.BUDGET_BLOCKED) {
                    d.refusals += Math.max(row.attempts(), row.requestsByRequest());
                }
            }
        }
    }

    /** The report of the rows seen so far. */
    public SpendReport report(Instant generatedAt) {
        List<SpendReport.DaySpend> daySpend = new ArrayList<>();
        spend.forEach((day, groups) -> new TreeMap<>(groups).forEach((group, g) ->
                daySpend.add(new SpendReport.DaySpend(day, group, g.requests, g.attempts, g.cost))));
        List<SpendReport.ModelTokens> models = new ArrayList<>();
        tokens.forEach((model, t) -> {
            BigDecimal c = modelCost.getOrDefault(model, BigDecimal.ZERO);
            if (t[0] != 0 || t[1] != 0 || t[2] != 0 || t[3] != 0 || c.signum() != 0) {
                models.add(new SpendReport.ModelTokens(model, t[0], t[1], t[2], t[3], c));
            }
        });
        List<SpendReport.ToolLatency> latency = new ArrayList<>();
        tools.forEach((tool, t) -> {
            LatencyHistogram h = t.latency.build();
            latency.add(new SpendReport.ToolLatency(tool, t.attempts, h.percentile(50), h.percentile(95)));
        });
        List<SpendReport.AgentOutcomes> mix = new ArrayList<>();
        outcomes.forEach((agent, o) -> mix.add(new SpendReport.AgentOutcomes(agent, o[0], o[1], o[2], o[3], o[4])));
        return SpendReport.builder(window.from(), window.to(), window.zone(), by, generatedAt)
                .days(window.days(window.zone()))
                .totals(new SpendReport.Totals(requests, attempts, totalTokens[0], totalTokens[1], totalTokens[2],
                        totalTokens[3], cost))
                .spend(daySpend).budgets(burnDowns()).tokensByModel(models).latencyByTool(latency)
                .outcomesByAgent(mix).build();
    }

    private List<SpendReport.BurnDown> burnDowns() {
        List<SpendReport.BurnDown> out = new ArrayList<>();
        List<LocalDate> days = window.days(budgetZone);
        for (int i = 0; i < budgets.size(); i++) {
            BudgetDefinition b = budgets.get(i);
            Map<LocalDate, BudgetDay> perDay = budgetDays.get(i);
            List<SpendReport.BurnDownDay> series = new ArrayList<>();
            String period = null;
            BigDecimal cumulative = BigDecimal.ZERO;
            for (LocalDate day : days) {
                String label = BudgetWindow.containing(b.period(), day.atStartOfDay(budgetZone).toInstant(), budgetZone)
                        .label();
                if (!label.equals(period)) {
                    // The window's first period carries what was spent in it before the window.
                    cumulative = period == null ? opening[i] : BigDecimal.ZERO;
                    period = label;
                }
                BudgetDay d = perDay.getOrDefault(day, new BudgetDay());
                cumulative = cumulative.add(d.cost);
                series.add(new SpendReport.BurnDownDay(day, label, d.cost, cumulative, d.refusals));
            }
            out.add(new SpendReport.BurnDown(b.name(), b.scope(), b.period(), b.limitType(), b.limitUsd(),
                    b.limitUsd().multiply(b.warnAt()), opening[i], series));
        }
        return out;
    }

    private static final class DayGroup {
        long requests;
        long attempts;
        BigDecimal cost = BigDecimal.ZERO;
    }

    private static final class BudgetDay {
        BigDecimal cost = BigDecimal.ZERO;
        long refusals;
    }

    private static final class ToolTally {
        long attempts;
        final LatencyHistogram.Builder latency = LatencyHistogram.builder();
    }
}
