package io.llmservice.spi;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The write side of the rollups: what one invocation record adds to which {@link RollupRow}s. A pure
 * function; a store calls it for every record it writes (a database inside the transaction that
 * inserts the record) and adds each returned row to the stored row of the same key ({@link
 * RollupRow#plus}: an upsert that adds counters and merges histograms).
 *
 * <pre>{@code
 * List<PriorAttempt> earlier = record.attempt() > 1
 *         ? attemptsOf(record.requestId(), record.attempt())   // the store's own look-up
 *         : List.of();
 * for (RollupRow delta : RollupContributions.of(record, earlier)) {
 *     rows.merge(delta.key(), delta, RollupRow::plus);
 * }
 * }</pre>
 *
 * <p><b>What a record adds.</b> An attempt (number &ge; 1) adds to the row of its own key
 * ({@link RollupKey}: its quarter-hour, agent, team, tool, model, outcome) 1 attempt, its latency,
 * and its tokens and cost (unknown counts as 0) less its sub-agents' shares; each share of another
 * model ({@link InvocationRecord#modelUsage()}) adds its tokens and cost to the row of the same key
 * with that model. A refusal (attempt 0) adds no attempt, tokens, cost or latency. Then the request
 * counters of {@link RollupRow}: the record counts its request in its own row (or its share's row)
 * for each grouping in which no earlier attempt of the request was; and when it succeeded, and no
 * earlier attempt in that grouping had, it adds 1 succeeded to the row that counted the request
 * there, which may be an earlier attempt's row (another outcome, another quarter-hour).
 *
 * <p>{@code earlier} are the request's attempts with a lower number; others are ignored, and only
 * the request's first attempt needs none (so a store looks them up only for attempt &gt; 1). A
 * store must record a request's attempts in attempt order, as the service does: an attempt that
 * arrives before a lower-numbered one counts as the first. Thread-safe (stateless).
 */
public final class RollupContributions {
    private RollupContributions() {
    }

    /**
     * The rows {@code record} adds to, one per key, in a stable order.
     *
     * @param record  the record being written
     * @param earlier the same request's earlier attempts (any order; attempts not below the record's are ignored)
     */
    public static List<RollupRow> of(InvocationRecord record, List<PriorAttempt> earlier) {
        List<PriorAttempt> before = new ArrayList<>();
        for (PriorAttempt p : earlier) {
            if (p.attempt() < record.attempt()) {
                before.add(p);
            }
        }
        before.sort(Comparator.comparingInt(PriorAttempt::attempt));
        String team = record.team().orElse("");
        RollupKey own = key(record.agent(), team, PriorAttempt.of(record), record.model());
        Map<RollupKey, RollupRow> rows = new LinkedHashMap<>();
        boolean success = record.outcome() == Outcome.SUCCESS;

        if (record.attempt() > 0) {
            addTokens(record, own, rows);
        }

        // By request (agent, team): one row, the first attempt's.
        if (before.isEmpty()) {
            add(rows, RollupRow.builder(own).requests(1, 0, 0).build());
        }
        if (success && before.stream().noneMatch(p -> p.outcome() == Outcome.SUCCESS)) {
            RollupKey first = before.isEmpty() ? own : key(record.agent(), team, before.get(0), before.get(0).model());
            add(rows, RollupRow.builder(first).succeeded(1, 0, 0).build());
        }

        // By tool: the first attempt on this tool.
        Optional<PriorAttempt> firstOnTool = before.stream().filter(p -> p.tool().equals(record.tool())).findFirst();
        if (firstOnTool.isEmpty()) {
            add(rows, RollupRow.builder(own).requests(0, 1, 0).build());
        }
        if (success && before.stream().noneMatch(p -> p.tool().equals(record.tool())
                && p.outcome() == Outcome.SUCCESS)) {
            RollupKey first = firstOnTool.map(p -> key(record.agent(), team, p, p.model())).orElse(own);
            add(rows, RollupRow.builder(first).succeeded(0, 1, 0).build());
        }

        // By model: the record's own model and each share's, each on its first attempt booked under it.
        Set<String> models = new TreeSet<>(PriorAttempt.shareModels(record));
        models.add(record.model());
        for (String model : models) {
            Optional<PriorAttempt> firstUnder = before.stream().filter(p -> p.bookedUnder(model)).findFirst();
            RollupKey here = own.withModel(model);
            if (firstUnder.isEmpty()) {
                add(rows, RollupRow.builder(here).requests(0, 0, 1).build());
            }
            if (success && before.stream().noneMatch(p -> p.bookedUnder(model) && p.outcome() == Outcome.SUCCESS)) {
                RollupKey first = firstUnder.map(p -> key(record.agent(), team, p, model)).orElse(here);
                add(rows, RollupRow.builder(first).succeeded(0, 0, 1).build());
            }
        }
        return List.copyOf(rows.values());
    }

    /** The attempt, latency, tokens and cost: the record's own row less the shares of other models. */
    private static void addTokens(InvocationRecord record, RollupKey own, Map<RollupKey, RollupRow> rows) {
        long in = record.usage().inputTokens().orElse(0);
        long out = record.usage().outputTokens().orElse(0);
        long read = record.usage().cacheReadTokens().orElse(0);
        long write = record.usage().cacheWriteTokens().orElse(0);
        BigDecimal cost = record.costUsd().orElse(BigDecimal.ZERO);
        for (ModelUsage m : record.modelUsage()) {
            if (m.model().equals(record.model())) {
                continue;
            }
            long mIn = m.usage().inputTokens().orElse(0);
            long mOut = m.usage().outputTokens().orElse(0);
            long mRead = m.usage().cacheReadTokens().orElse(0);
            long mWrite = m.usage().cacheWriteTokens().orElse(0);
            BigDecimal mCost = m.costUsd().orElse(BigDecimal.ZERO);
            in -= mIn;
            out -= mOut;
            read -= mRead;
            write -= mWrite;
            cost = cost.subtract(mCost);
            add(rows, RollupRow.builder(own.withModel(m.model())).tokens(mIn, mOut, mRead, mWrite).costUsd(mCost)
                    .build());
        }
        add(rows, RollupRow.builder(own).attempts(1).tokens(in, out, read, write).costUsd(cost)
                .latency(LatencyHistogram.of(record.latency())).build());
    }

    private static RollupKey key(String agent, String team, PriorAttempt attempt, String model) {
        return new RollupKey(RollupKey.bucketStart(attempt.startedAt()), agent, team, attempt.tool(), model,
                attempt.outcome());
    }

    private static void add(Map<RollupKey, RollupRow> rows, RollupRow row) {
        rows.merge(row.key(), row, RollupRow::plus);
    }
}
