package io.llmservice;

import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.Scope;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * The figures of {@code llm-service report}: spend per day, each budget's burn-down, tokens by model,
 * latency by tool and the outcome mix by agent over one window, read from the telemetry store's
 * quarter-hour rollups ({@link io.llmservice.spi.TelemetryStore#scanRollups}). Made by
 * {@link LlmService#report}; {@link LlmService#writeReport} draws it as one self-contained HTML file.
 *
 * <pre>{@code
 * SpendReport r = llm.report(ReportQuery.builder().period(StatsPeriod.MONTH).build());
 * System.out.println(r.totals().costUsd() + " USD over " + r.days().size() + " days");
 * for (SpendReport.DaySpend d : r.spend()) {
 *     System.out.println(d.day() + " " + d.group() + " " + d.costUsd());
 * }
 * }</pre>
 *
 * <p><b>Equal to stats.</b> For the same window, zone and dimension, {@link #spend()} holds the cost,
 * requests and attempts of {@code stats --period day}; {@link #tokensByModel()} those of
 * {@code stats --by model}; {@link #latencyByTool()} those of {@code stats --by tool}; each
 * {@link AgentOutcomes#requests()} the requests of {@code stats --by agent}.
 *
 * <p><b>Outcome mix.</b> A request counts once, under its agent, by the outcome of its first attempt
 * (or refusal) and whether it succeeded at last ({@link io.llmservice.spi.RollupRow#succeededByRequest}):
 * success (the first attempt succeeded); fallback (it succeeded after a failed first attempt, whatever
 * failed); refused (it never succeeded and its first attempt was refused: {@code budget_blocked},
 * {@code rate_limited}, {@code no_route}); timeout (its first attempt timed out); failed (anything else:
 * {@code failed}, {@code not_installed}, {@code cancelled}).
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 *
 * @param from          the window's start (inclusive), on a quarter-hour
 * @param to            the window's end (exclusive), on a quarter-hour
 * @param zone          the zone days are cut in
 * @param by            what {@link #spend()} is grouped by
 * @param generatedAt   when the report was made
 * @param days          every local day the window touches, in order
 * @param totals        the window's totals
 * @param spend         per day and group with activity, sorted by day then group
 * @param budgets       one burn-down per configured budget of type {@code limit}, in configuration order
 * @param tokensByModel per model with tokens or cost, sorted by model
 * @param latencyByTool per tool with attempts, sorted by tool
 * @param outcomesByAgent per agent with requests, sorted by agent
 */
public record SpendReport(Instant from, Instant to, ZoneId zone, StatsDimension by, Instant generatedAt,
                          List<LocalDate> days, Totals totals, List<DaySpend> spend, List<BurnDown> budgets,
                          List<ModelTokens> tokensByModel, List<ToolLatency> latencyByTool,
                          List<AgentOutcomes> outcomesByAgent) {
    public SpendReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(totals, "totals");
        days = List.copyOf(days);
        spend = List.copyOf(spend);
        budgets = List.copyOf(budgets);
        tokensByModel = List.copyOf(tokensByModel);
        latencyByTool = List.copyOf(latencyByTool);
        outcomesByAgent = List.copyOf(outcomesByAgent);
    }

    /** A builder with the window set and every list empty. */
    public static Builder builder(Instant from, Instant to, ZoneId zone, StatsDimension by, Instant generatedAt) {
        return new Builder(from, to, zone, by, generatedAt);
    }

    /** True when no request or attempt was recorded in the window. */
    public boolean isEmpty() {
        return totals.requests() == 0 && totals.attempts() == 0;
    }

    /**
     * The window's totals.
     *
     * @param requests distinct requests (counted on their first attempt's quarter-hour)
     * @param attempts attempts run
     * @param inputTokens known input tokens
     * @param outputTokens known output tokens
     * @param cacheReadTokens known cache-read tokens
     * @param cacheWriteTokens known cache-write tokens
     * @param costUsd known cost
     */
    public record Totals(long requests, long attempts, long inputTokens, long outputTokens, long cacheReadTokens,
                         long cacheWriteTokens, BigDecimal costUsd) {
        public Totals {
            Objects.requireNonNull(costUsd, "costUsd");
        }
    }

    /**
     * One day and group: what {@code stats --period day --by <by>} shows for it.
     *
     * @param day the local day
     * @param group the agent, team, model or tool ({@code ""} for none)
     * @param requests distinct requests of the group whose first attempt there is on this day
     * @param attempts attempts
     * @param costUsd known cost
     */
    public record DaySpend(LocalDate day, String group, long requests, long attempts, BigDecimal costUsd) {
        public DaySpend {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(costUsd, "costUsd");
        }
    }

    /**
     * One budget's spend in the window, computed from the log's rollups (the ledger is the authority for the
     * live period: {@link LlmService#budgets()} and {@code llm-service route --explain} show it). The two
     * count the same calls but can differ in amount: a call whose cost is unknown counts nothing here, while
     * the ledger charged it its reservation; and in a scope that names a model, a sub-agent's share counts
     * here under the sub-agent's own model (as {@code stats --by model} counts it), while the ledger charged
     * each attempt whole, its sub-agents included, to the attempt's model. The rollups keep shares, not
     * the attempt they came from, so the report cannot count them as the ledger did.
     *
     * @param budget the budget's name
     * @param scope its scope, as configured ({@code {global}}, {@code {team: platform}})
     * @param period its period; the cumulative spend starts again at each period's start
     * @param limitType hard or soft
     * @param limitUsd its limit
     * @param warnAtUsd the spend at which it warns ({@code warn_at} × limit)
     * @param openingUsd the spend in scope from the start of the period holding the window's start to the
     *                   window's start (zero when the window starts with a period): the first day's
     *                   cumulative spend includes it, no day's spend does
     * @param days one per day of the window in {@code policies.timezone}
     */
    public record BurnDown(String budget, Scope scope, BudgetPeriod period, LimitType limitType, BigDecimal limitUsd,
                           BigDecimal warnAtUsd, BigDecimal openingUsd, List<BurnDownDay> days) {
        public BurnDown {
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(limitType, "limitType");
            Objects.requireNonNull(limitUsd, "limitUsd");
            Objects.requireNonNull(warnAtUsd, "warnAtUsd");
            Objects.requireNonNull(openingUsd, "openingUsd");
            days = List.copyOf(days);
        }
    }

    /**
     * One day of a budget.
     *
     * @param day the local day (in {@code policies.timezone})
     * @param period the budget period holding it, labelled as {@link BudgetStatus#period()} and budget refusals
     *               label it ({@code monthly 2026-12}, {@code weekly 2026-W49}, {@code daily 2026-12-01})
     * @param spentUsd the spend of the calls in scope that day
     * @param cumulativeUsd the spend in scope since the period's start, this day included (for the window's first
     *                      period, what was spent in it before the window too: {@link BurnDown#openingUsd})
     * @param refusals calls in scope refused that day ({@code budget_blocked}) by any budget: this one, another
     *                 whose scope holds them too, or one that could not be checked (store down); the rollups
     *                 do not keep which budget refused
     */
    public record BurnDownDay(LocalDate day, String period, BigDecimal spentUsd, BigDecimal cumulativeUsd,
                              long refusals) {
        public BurnDownDay {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(spentUsd, "spentUsd");
            Objects.requireNonNull(cumulativeUsd, "cumulativeUsd");
        }
    }

    /**
     * Tokens and cost of one model (a sub-agent's share under its own model, as {@code stats --by model}).
     *
     * @param model the model id
     * @param inputTokens known input tokens
     * @param outputTokens known output tokens
     * @param cacheReadTokens known cache-read tokens
     * @param cacheWriteTokens known cache-write tokens
     * @param costUsd known cost
     */
    public record ModelTokens(String model, long inputTokens, long outputTokens, long cacheReadTokens,
                              long cacheWriteTokens, BigDecimal costUsd) {
        public ModelTokens {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(costUsd, "costUsd");
        }
    }

    /**
     * Attempt latency of one tool (nearest-rank percentiles, within 2.2 %, as {@code stats --by tool}).
     *
     * @param tool the tool
     * @param attempts attempts run
     * @param p50 median latency
     * @param p95 95th percentile latency
     */
    public record ToolLatency(String tool, long attempts, Duration p50, Duration p95) {
        public ToolLatency {
            Objects.requireNonNull(tool, "tool");
            Objects.requireNonNull(p50, "p50");
            Objects.requireNonNull(p95, "p95");
        }
    }

    /**
     * How one agent's requests ended (see the class comment for the rule).
     *
     * @param agent the agent
     * @param success first attempt succeeded
     * @param fallback succeeded after a failed first attempt
     * @param refused refused (budget, rate limit, no route) and never succeeded
     * @param failed failed and never succeeded
     * @param timeout first attempt timed out and never succeeded
     */
    public record AgentOutcomes(String agent, long success, long fallback, long refused, long failed, long timeout) {
        public AgentOutcomes {
            Objects.requireNonNull(agent, "agent");
        }

        /** All of the agent's requests. */
        public long requests() {
            return success + fallback + refused + failed + timeout;
        }
    }

    /** Builds {@link SpendReport}s. Not thread-safe. */
    public static final class Builder {
        private final Instant from;
        private final Instant to;
        private final ZoneId zone;
        private final StatsDimension by;
        private final Instant generatedAt;
        private List<LocalDate> days = List.of();
        private Totals totals = new Totals(0, 0, 0, 0, 0, 0, BigDecimal.ZERO);
        private List<DaySpend> spend = List.of();
        private List<BurnDown> budgets = List.of();
        private List<ModelTokens> tokensByModel = List.of();
        private List<ToolLatency> latencyByTool = List.of();
        private List<AgentOutcomes> outcomesByAgent = List.of();

        private Builder(Instant from, Instant to, ZoneId zone, StatsDimension by, Instant generatedAt) {
            this.from = from;
            this.to = to;
            this.zone = zone;
            this.by = by;
            this.generatedAt = generatedAt;
        }

        public Builder days(List<LocalDate> days) {
            this.days = days;
            return this;
        }

        public Builder totals(Totals totals) {
            this.totals = totals;
            return this;
        }

        public Builder spend(List<DaySpend> spend) {
            this.spend = spend;
            return this;
        }

        public Builder budgets(List<BurnDown> budgets) {
            this.budgets = budgets;
            return this;
        }

        public Builder tokensByModel(List<ModelTokens> tokensByModel) {
            this.tokensByModel = tokensByModel;
            return this;
        }

        public Builder latencyByTool(List<ToolLatency> latencyByTool) {
            this.latencyByTool = latencyByTool;
            return this;
        }

        public Builder outcomesByAgent(List<AgentOutcomes> outcomesByAgent) {
            this.outcomesByAgent = outcomesByAgent;
            return this;
        }

        public SpendReport build() {
            return new SpendReport(from, to, zone, by, generatedAt, days, totals, spend, budgets, tokensByModel,
                    latencyByTool, outcomesByAgent);
        }
    }
}
