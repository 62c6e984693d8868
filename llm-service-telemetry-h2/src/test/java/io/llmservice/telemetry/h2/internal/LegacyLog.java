package io.llmservice.telemetry.h2.internal;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.telemetry.jdbc.internal.InvocationTable;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/**
 * An invocation log as an older release wrote it: rows in {@code invocation} and
 * {@code invocation_model_usage} only, nothing rolled up; random requests of several attempts.
 */
final class LegacyLog {
    private LegacyLog() {
    }

    /**
     * Requests of 1 to 4 attempts over two weeks that fall back across tools and models, fail and
     * succeed, cross quarter-hours; refusals at attempt 0; sub-agent shares; unknown usage and cost.
     */
    static List<InvocationRecord> randomRecords(Random random, int count) {
        String[] agents = {"reviewer", "planner", "coder"};
        String[] tools = {"claude", "codex", "gemini"};
        String[] models = {"m-opus", "m-sonnet", "m-haiku", "m-gpt"};
        List<InvocationRecord> out = new ArrayList<>(count);
        Instant t = Instant.parse("2026-11-20T00:00:00Z");
        for (int request = 0; out.size() < count; request++) {
            String id = "legacy-" + request;
            t = t.plusSeconds(random.nextInt(800));
            String agent = agents[random.nextInt(agents.length)];
            Optional<String> team = random.nextInt(3) == 0 ? Optional.empty() : Optional.of("team-" + agent.charAt(0));
            if (random.nextInt(15) == 0) {
                out.add(InvocationRecord.builder().requestId(id).attempt(0).startedAt(t).agent(agent).team(team)
                        .tool(tools[0]).model(models[0]).outcome(Outcome.BUDGET_BLOCKED).latency(Duration.ZERO).build());
                continue;
            }
            int attempts = 1 + random.nextInt(4);
            String tool = tools[random.nextInt(tools.length)];
            String model = models[random.nextInt(models.length)];
            Instant at = t;
            for (int a = 1; a <= attempts && out.size() < count; a++) {
                if (a > 1) {
                    at = at.plusSeconds(random.nextInt(1200));
                    if (random.nextBoolean()) {
                        tool = tools[random.nextInt(tools.length)];
                    } else {
                        model = models[random.nextInt(models.length)];
                    }
                }
                Outcome outcome = random.nextInt(3) == 0 ? Outcome.SUCCESS
                        : List.of(Outcome.FAILED, Outcome.TIMEOUT, Outcome.SUCCESS).get(random.nextInt(3));
                InvocationRecord.Builder b = InvocationRecord.builder().requestId(id).attempt(a).startedAt(at)
                        .agent(agent).team(team).tool(tool).model(model).outcome(outcome)
                        .latency(Duration.ofMillis(1 + random.nextInt(60_000)));
                int kind = random.nextInt(5);
                if (kind == 0) {
                    String sub = models[random.nextInt(models.length)];
                    Usage own = Usage.of(random.nextInt(5000), random.nextInt(900), random.nextInt(300), 0);
                    Usage theirs = Usage.of(random.nextInt(2000), random.nextInt(200), 0, random.nextInt(50));
                    BigDecimal ownCost = BigDecimal.valueOf(random.nextInt(100_000), 6);
                    BigDecimal subCost = BigDecimal.valueOf(random.nextInt(20_000), 7);
                    List<ModelUsage> shares = sub.equals(model) ? List.of(new ModelUsage(model, own, Optional.of(ownCost)))
                            : List.of(new ModelUsage(model, own, Optional.of(ownCost)),
                                    new ModelUsage(sub, theirs, Optional.of(subCost)));
                    b.modelUsage(shares).usage(ModelUsage.totalUsage(shares)).costUsd(ownCost.add(subCost))
                            .costSource(CostSource.TOOL_REPORTED);
                } else if (kind == 1) {
                    b.usage(Usage.of(OptionalLong.of(random.nextInt(4000)), OptionalLong.empty(), OptionalLong.empty(),
                            OptionalLong.empty()));
                } else {
                    b.usage(Usage.of(random.nextInt(4000), random.nextInt(700), random.nextInt(300), random.nextInt(90)))
                            .costUsd(BigDecimal.valueOf(random.nextInt(50_000), 6)).costSource(CostSource.COMPUTED);
                }
                out.add(b.build());
            }
        }
        return out;
    }

    /** Inserts the records' log rows as a v8 writer left them (its chunks are dropped by v9 anyway). */
    static void insert(Connection c, List<InvocationRecord> records) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO invocation (request_id, attempt, started_at_ns,"
                + " agent, team, tool, model, outcome, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, cost_usd, cost_source, latency_ns, error_summary)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')");
             PreparedStatement shares = c.prepareStatement(InvocationTable.INSERT_MODEL_USAGE)) {
            for (InvocationRecord r : records) {
                ps.setString(1, r.requestId());
                ps.setInt(2, r.attempt());
                ps.setLong(3, InvocationTable.nanos(r.startedAt()));
                ps.setString(4, r.agent());
                ps.setString(5, r.team().orElse(null));
                ps.setString(6, r.tool());
                ps.setString(7, r.model());
                ps.setString(8, r.outcome().storedName());
                setLong(ps, 9, r.usage().inputTokens());
                setLong(ps, 10, r.usage().outputTokens());
                setLong(ps, 11, r.usage().cacheReadTokens());
                setLong(ps, 12, r.usage().cacheWriteTokens());
                ps.setBigDecimal(13, r.costUsd().orElse(null));
                ps.setString(14, r.costSource().name().toLowerCase(java.util.Locale.ROOT));
                ps.setLong(15, r.latency().toNanos());
                ps.addBatch();
                for (ModelUsage m : r.modelUsage()) {
                    shares.setString(1, r.requestId());
                    shares.setInt(2, r.attempt());
                    shares.setString(3, m.model());
                    setLong(shares, 4, m.usage().inputTokens());
                    setLong(shares, 5, m.usage().outputTokens());
                    setLong(shares, 6, m.usage().cacheReadTokens());
                    setLong(shares, 7, m.usage().cacheWriteTokens());
                    shares.setBigDecimal(8, m.costUsd().orElse(null));
                    shares.addBatch();
                }
            }
            ps.executeBatch();
            shares.executeBatch();
        }
        c.commit();
    }

    private static void setLong(PreparedStatement ps, int i, OptionalLong v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.getAsLong());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    /** Every grouping by day (in a zone 05:30 off UTC), week and month. */
    static List<StatsQuery> queries() {
        List<StatsQuery> out = new ArrayList<>();
        for (StatsDimension by : StatsDimension.values()) {
            for (StatsPeriod period : StatsPeriod.values()) {
                out.add(StatsQuery.builder().period(period).groupBy(by).zone(ZoneId.of("Asia/Kolkata")).build());
            }
        }
        return out;
    }

    /** A report's rows as text: exact columns, costs without trailing zeros, percentiles. */
    static List<String> text(StatsReport report) {
        List<String> out = new ArrayList<>();
        for (StatsRow r : report.rows()) {
            out.add(String.join(" ", r.period(), r.group(), "requests=" + r.requests(), "succeeded=" + r.succeeded(),
                    "attempts=" + r.attempts(), "tokens=" + r.inputTokens() + "/" + r.outputTokens() + "/"
                            + r.cacheReadTokens() + "/" + r.cacheWriteTokens(),
                    "cost=" + r.costUsd().stripTrailingZeros().toPlainString(),
                    "p50=" + r.p50Latency(), "p95=" + r.p95Latency()));
        }
        return out;
    }
}
