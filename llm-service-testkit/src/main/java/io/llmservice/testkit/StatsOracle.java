package io.llmservice.testkit;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsQuery;
import io.llmservice.spi.InvocationRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Computes what a stats report must say straight from the raw records, the slow and obvious way:
 * distinct request ids in sets, exact {@link BigDecimal} sums, every latency sorted for an exact
 * nearest-rank percentile. It shares no code with the stores' rollups, so a store whose rollups
 * disagree with it is wrong (or the definitions in {@link io.llmservice.StatsRow} are).
 *
 * <pre>{@code
 * StatsOracle oracle = new StatsOracle(records);
 * Map<StatsOracle.Cell, StatsOracle.Expected> expected = oracle.report(query);
 * }</pre>
 *
 * <p>The definitions, per grouping: a request counts in the period of its first attempt (lowest
 * attempt number, a refusal's 0 included) in the group, and succeeded there when any of its
 * attempts in the group succeeded; by model an attempt is in the group of its model and of each
 * other model it has a share of. Attempts, tokens, cost and latency are over the attempts
 * (number &ge; 1) in the window; by model a share's tokens and cost move to its model. The window
 * is widened to whole quarter-hours. Not thread-safe.
 */
public final class StatsOracle {
    private static final long QUARTER_HOUR = 900;

    private final List<InvocationRecord> records;
    /** Each request's records, by attempt. */
    private final Map<String, List<InvocationRecord>> byRequest = new HashMap<>();
    private final Map<StatsDimension, Map<String, InvocationRecord>> firsts = new EnumMap<>(StatsDimension.class);
    private final Map<StatsDimension, Set<String>> successes = new EnumMap<>(StatsDimension.class);

    /** An oracle over these records. */
    public StatsOracle(List<InvocationRecord> records) {
        this.records = List.copyOf(records);
        for (InvocationRecord r : this.records) {
            byRequest.computeIfAbsent(r.requestId(), k -> new ArrayList<>()).add(r);
        }
        byRequest.values().forEach(l -> l.sort(Comparator.comparingInt(InvocationRecord::attempt)));
    }

    /** A period and a group. */
    public record Cell(String period, String group) {
    }

    /** What one row of the report must hold; latencies are every attempt's, sorted. */
    public record Expected(long requests, long succeeded, long attempts, long input, long output, long cacheRead,
                           long cacheWrite, BigDecimal cost, List<Long> latencyNanos) {
        /** The exact nearest-rank percentile: the value at rank ceil(p × n / 100); zero for no values. */
        public Duration exactPercentile(int p) {
            if (latencyNanos.isEmpty()) {
                return Duration.ZERO;
            }
            long n = latencyNanos.size();
            long rank = Math.max(1, (p * n + 99) / 100);
            return Duration.ofNanos(latencyNanos.get((int) rank - 1));
        }
    }

    private static final class Sum {
        final Set<String> requests = new HashSet<>();
        final Set<String> succeeded = new HashSet<>();
        long attempts;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        BigDecimal cost = BigDecimal.ZERO;
        final List<Long> latencies = new ArrayList<>();
    }

    /** The expected rows of {@code query}, sorted by period then group. */
    public Map<Cell, Expected> report(StatsQuery query) {
        Map<Cell, Sum> sums = new TreeMap<>(Comparator.comparing(Cell::period).thenComparing(Cell::group));
        Map<LocalDate, String> labels = new HashMap<>();
        Map<String, InvocationRecord> firsts = firsts(query.groupBy());
        Set<String> successes = successes(query.groupBy());
        for (InvocationRecord r : records) {
            if (!inWindow(query, r.startedAt())) {
                continue;
            }
            String period = labels.computeIfAbsent(LocalDate.ofInstant(r.startedAt(), query.zone()),
                    day -> query.period().label(day));
            for (String group : groups(query.groupBy(), r)) {
                Sum sum = sums.computeIfAbsent(new Cell(period, group), c -> new Sum());
                String requestInGroup = r.requestId() + "\u0000" + group;
                if (firsts.get(requestInGroup) == r) {
                    sum.requests.add(r.requestId());
                    if (successes.contains(requestInGroup)) {
                        sum.succeeded.add(r.requestId());
                    }
                }
                if (r.attempt() == 0) {
                    continue;
                }
                long[] tokens = tokens(query.groupBy(), group, r);
                sum.input += tokens[0];
                sum.output += tokens[1];
                sum.cacheRead += tokens[2];
                sum.cacheWrite += tokens[3];
                sum.cost = sum.cost.add(cost(query.groupBy(), group, r));
                if (query.groupBy() != StatsDimension.MODEL || group.equals(r.model())) {
                    sum.attempts++;
                    sum.latencies.add(r.latency().toNanos());
                }
            }
        }
        Map<Cell, Expected> out = new TreeMap<>(Comparator.comparing(Cell::period).thenComparing(Cell::group));
        sums.forEach((cell, s) -> {
            List<Long> sorted = new ArrayList<>(s.latencies);
            sorted.sort(null);
            out.put(cell, new Expected(s.requests.size(), s.succeeded.size(), s.attempts, s.input, s.output,
                    s.cacheRead, s.cacheWrite, s.cost, List.copyOf(sorted)));
        });
        return out;
    }

    /** Each request's first record in each group, keyed request id NUL group. */
    private Map<String, InvocationRecord> firsts(StatsDimension by) {
        return firsts.computeIfAbsent(by, d -> {
            Map<String, InvocationRecord> out = new HashMap<>();
            byRequest.forEach((id, attempts) -> attempts.forEach(r -> groups(d, r)
                    .forEach(g -> out.putIfAbsent(id + "\u0000" + g, r))));
            return out;
        });
    }

    /** The groups each request succeeded in, as request id NUL group. */
    private Set<String> successes(StatsDimension by) {
        return successes.computeIfAbsent(by, d -> {
            Set<String> out = new HashSet<>();
            records.stream().filter(r -> r.outcome() == Outcome.SUCCESS)
                    .forEach(r -> groups(d, r).forEach(g -> out.add(r.requestId() + "\u0000" + g)));
            return out;
        });
    }

    private static boolean inWindow(StatsQuery query, Instant t) {
        long s = t.getEpochSecond();
        if (query.since().isPresent() && s < Math.floorDiv(query.since().get().getEpochSecond(), QUARTER_HOUR)
                * QUARTER_HOUR) {
            return false;
        }
        if (query.until().isPresent()) {
            Instant u = query.until().get();
            long end = Math.floorDiv(u.getEpochSecond(), QUARTER_HOUR) * QUARTER_HOUR;
            if (end != u.getEpochSecond() || u.getNano() != 0) {
                end += QUARTER_HOUR;
            }
            return s < end;
        }
        return true;
    }

    /** The groups a record is in: one, or by model its model and its shares' other models. */
    private static Set<String> groups(StatsDimension by, InvocationRecord r) {
        Set<String> groups = new HashSet<>();
        switch (by) {
            case AGENT -> groups.add(r.agent());
            case TEAM -> groups.add(r.team().orElse(""));
            case TOOL -> groups.add(r.tool());
            case MODEL -> {
                groups.add(r.model());
                if (r.attempt() > 0) {
                    r.modelUsage().forEach(m -> groups.add(m.model()));
                }
            }
        }
        return groups;
    }

    private static long[] tokens(StatsDimension by, String group, InvocationRecord r) {
        long[] total = {r.usage().inputTokens().orElse(0), r.usage().outputTokens().orElse(0),
                r.usage().cacheReadTokens().orElse(0), r.usage().cacheWriteTokens().orElse(0)};
        if (by != StatsDimension.MODEL) {
            return total;
        }
        long[] mine = group.equals(r.model()) ? total : new long[4];
        for (ModelUsage m : r.modelUsage()) {
            if (m.model().equals(r.model())) {
                continue;
            }
            long[] share = {m.usage().inputTokens().orElse(0), m.usage().outputTokens().orElse(0),
                    m.usage().cacheReadTokens().orElse(0), m.usage().cacheWriteTokens().orElse(0)};
            for (int i = 0; i < 4; i++) {
                if (group.equals(r.model())) {
                    mine[i] -= share[i];
                } else if (group.equals(m.model())) {
                    mine[i] += share[i];
                }
            }
        }
        return mine;
    }

    private static BigDecimal cost(StatsDimension by, String group, InvocationRecord r) {
        BigDecimal total = r.costUsd().orElse(BigDecimal.ZERO);
        if (by != StatsDimension.MODEL) {
            return total;
        }
        BigDecimal mine = group.equals(r.model()) ? total : BigDecimal.ZERO;
        for (ModelUsage m : r.modelUsage()) {
            if (m.model().equals(r.model())) {
                continue;
            }
            BigDecimal share = m.costUsd().orElse(BigDecimal.ZERO);
            if (group.equals(r.model())) {
                mine = mine.subtract(share);
            } else if (group.equals(m.model())) {
                mine = mine.add(share);
            }
        }
        return Objects.requireNonNull(mine);
    }
}
