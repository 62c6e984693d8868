package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.StatsDimension;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a {@link StatsQuery} from the packed {@link StatChunk}s of the window, aggregating in
 * Java and following {@link StatsRow}'s definitions: requests and succeeded are distinct request
 * ids (attempt-0 refusals included), attempts, tokens, cost and latency are over attempts
 * (attempt &ge; 1), percentiles are nearest-rank (the value at rank ceil(p × n)), exactly as
 * {@code StatsAggregator} in the core computes them. Periods come from {@link PeriodBuckets}.
 * By model, a row's shares of other models (a sub-agent's, {@link StatChunk.Share}) are booked
 * under those models (the request counted there too, tokens and cost moved from the row's model),
 * so that every model's tokens and cost are its own and the totals stay the rows' totals.
 *
 * <p>Why not SQL: H2 took seconds for a grouped query with {@code COUNT(DISTINCT)} and
 * {@code PERCENTILE_DISC} over a million wide rows; decoding the chunks takes a fraction of that.
 * The chunks are read in one query (one consistent state of the table) and then walked twice:
 * first to find the window's bounds and the requests that can have several rows (those with an
 * attempt other than 1 — the attempts of a request are distinct, so a request with several rows
 * has one), then to aggregate. Only those requests are tracked for distinct counting; any other
 * request has a single row and counts once where it is. Memory: the window's chunks (about 60
 * bytes per attempt) plus 8 bytes per attempt for exact percentiles, for the duration of the query.
 * Not thread-safe; one per query.
 */
public final class StatsScan {
    private static final int FETCH_SIZE = 64;

    /** One period × group cell. */
    private static final class Cell {
        final int bucket;
        final String group;
        long requests;
        long succeeded;
        long attempts;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        /** Cost at scale 12; {@link #costOverflow} takes what no longer fits a long. */
        long costUnscaled;
        BigDecimal costOverflow = BigDecimal.ZERO;
        long[] latencies = new long[16];
        int latencyCount;

        Cell(int bucket, String group) {
            this.bucket = bucket;
            this.group = group;
        }

        void cost(long unscaled) {
            long sum = costUnscaled + unscaled;
            // Overflow iff both operands have the sign opposite to the result (Math.addExact's test).
            if (((costUnscaled ^ sum) & (unscaled ^ sum)) < 0) {
                costOverflow = costOverflow.add(BigDecimal.valueOf(costUnscaled, StatChunk.COST_SCALE));
                sum = unscaled;
            }
            costUnscaled = sum;
        }

        BigDecimal cost() {
            return costOverflow.add(BigDecimal.valueOf(costUnscaled, StatChunk.COST_SCALE));
        }

        void latency(long ns) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = ns;
        }
    }

    /** The cells a request with several rows was already counted in (requests, and succeeded). */
    private static final class Seen {
        final List<Cell> requested = new ArrayList<>(2);
        final List<Cell> succeeded = new ArrayList<>(2);
    }

    /** A set of hashes (open addressing); a hit only means "maybe", a miss means "not tracked". */
    private static final class HashFilter {
        private long[] slots = new long[64];
        private boolean[] used = new boolean[64];
        private int size;

        void add(long h) {
            if (size * 2 >= slots.length) {
                long[] oldSlots = slots;
                boolean[] oldUsed = used;
                slots = new long[oldSlots.length * 2];
                used = new boolean[slots.length];
                size = 0;
                for (int i = 0; i < oldSlots.length; i++) {
                    if (oldUsed[i]) {
                        add(oldSlots[i]);
                    }
                }
            }
            int i = index(h);
            while (used[i]) {
                if (slots[i] == h) {
                    return;
                }
                i = (i + 1) & (slots.length - 1);
            }
            used[i] = true;
            slots[i] = h;
            size++;
        }

        boolean mightContain(long h) {
            if (size == 0) {
                return false;
            }
            int i = index(h);
            while (used[i]) {
                if (slots[i] == h) {
                    return true;
                }
                i = (i + 1) & (slots.length - 1);
            }
            return false;
        }

        private int index(long h) {
            return (int) (h ^ (h >>> 32)) * 0x9E3779B9 >>> 1 & (slots.length - 1);
        }
    }

    private StatsScan() {
    }

    public static StatsReport run(Connection c, StatsQuery q) throws SQLException {
        long since = q.since().map(InvocationTable::nanos).orElse(Long.MIN_VALUE);
        long until = q.until().map(InvocationTable::nanos).orElse(Long.MAX_VALUE);
        List<byte[]> chunks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM invocation_stat_chunk"
                + " WHERE last_started_at_ns >= ? AND first_started_at_ns < ?")) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setLong(1, since);
            ps.setLong(2, until);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    chunks.add(rs.getBytes(1));
                }
            }
        }

        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        Map<String, Seen> several = new HashMap<>();
        HashFilter tracked = new HashFilter();
        for (byte[] chunk : chunks) {
            StatChunk.Reader r = new StatChunk.Reader(chunk);
            while (r.next()) {
                long t = r.startedAtNs;
                if (t < since || t >= until) {
                    continue;
                }
                from = Math.min(from, t);
                to = Math.max(to, t);
                if (r.attempt != 1) {
                    several.putIfAbsent(r.requestId(), new Seen());
                    tracked.add(r.requestIdHash());
                }
            }
        }
        if (from > to) {
            return new StatsReport(q, List.of());
        }

        PeriodBuckets buckets = PeriodBuckets.covering(q.period(), q.zone(), from, to);
        Map<String, Cell[]> cellsByGroup = new HashMap<>();
        int bucket = 0;
        String lastGroup = null;
        Cell[] cells = null;
        for (byte[] chunk : chunks) {
            StatChunk.Reader r = new StatChunk.Reader(chunk);
            while (r.next()) {
                long t = r.startedAtNs;
                if (t < since || t >= until) {
                    continue;
                }
                // Rows come roughly in time order: most stay in the previous row's bucket.
                if (!buckets.contains(bucket, t)) {
                    bucket = buckets.indexOf(t);
                }
                String g = switch (q.groupBy()) {
                    case AGENT -> r.agent;
                    case TEAM -> r.team;
                    case MODEL -> r.model;
                    case TOOL -> r.tool;
                };
                if (!g.equals(lastGroup)) {
                    cells = cellsByGroup.computeIfAbsent(g, k -> new Cell[buckets.size()]);
                    lastGroup = g;
                }
                Cell cell = cell(cells, bucket, g);
                // Decoding every request id would cost more than the rest of the row; most are not tracked.
                Seen seen = tracked.mightContain(r.requestIdHash()) ? several.get(r.requestId()) : null;
                countRequest(cell, seen, r.succeeded);
                if (r.attempt == 0) {
                    continue;
                }
                cell.attempts++;
                cell.input += r.inputTokens;
                cell.output += r.outputTokens;
                cell.cacheRead += r.cacheReadTokens;
                cell.cacheWrite += r.cacheWriteTokens;
                if (r.costBig != null) {
                    cell.costOverflow = cell.costOverflow.add(r.costBig);
                } else {
                    cell.cost(r.costUnscaled);
                }
                cell.latency(r.latencyNs);
                if (q.groupBy() == StatsDimension.MODEL) {
                    for (int i = 0; i < r.others; i++) {
                        StatChunk.Share share = r.other(i);
                        Cell other = cell(cellsByGroup.computeIfAbsent(share.model, k -> new Cell[buckets.size()]),
                                bucket, share.model);
                        countRequest(other, seen, r.succeeded);
                        move(share, cell, other);
                    }
                }
            }
        }

        List<Cell> all = new ArrayList<>();
        for (Cell[] row : cellsByGroup.values()) {
            for (Cell cell : row) {
                if (cell != null) {
                    all.add(cell);
                }
            }
        }
        // Group order is Java's String order, as in memory.
        all.sort(Comparator.<Cell>comparingInt(x -> x.bucket).thenComparing(x -> x.group));
        List<StatsRow> rows = new ArrayList<>(all.size());
        for (Cell x : all) {
            long[] sorted = Arrays.copyOf(x.latencies, x.latencyCount);
            Arrays.sort(sorted);
            rows.add(StatsRow.builder().period(buckets.label(x.bucket)).group(x.group).requests(x.requests)
                    .succeeded(x.succeeded).attempts(x.attempts).tokens(x.input, x.output, x.cacheRead, x.cacheWrite)
                    .costUsd(InvocationTable.decimal(x.cost())).latency(percentile(sorted, 50), percentile(sorted, 95))
                    .build());
        }
        return new StatsReport(q, rows);
    }

    private static Cell cell(Cell[] cells, int bucket, String group) {
        Cell cell = cells[bucket];
        if (cell == null) {
            cell = new Cell(bucket, group);
            cells[bucket] = cell;
        }
        return cell;
    }

    /** Counts the request in {@code cell} unless a request with several rows ({@code seen}) already is. */
    private static void countRequest(Cell cell, Seen seen, boolean succeeded) {
        if (seen == null) {
            cell.requests++;
            if (succeeded) {
                cell.succeeded++;
            }
            return;
        }
        if (!seen.requested.contains(cell)) {
            seen.requested.add(cell);
            cell.requests++;
        }
        if (succeeded && !seen.succeeded.contains(cell)) {
            seen.succeeded.add(cell);
            cell.succeeded++;
        }
    }

    /** Books a share of another model under that model, taking it out of the row's model. */
    private static void move(StatChunk.Share share, Cell from, Cell to) {
        from.input -= share.inputTokens;
        from.output -= share.outputTokens;
        from.cacheRead -= share.cacheReadTokens;
        from.cacheWrite -= share.cacheWriteTokens;
        to.input += share.inputTokens;
        to.output += share.outputTokens;
        to.cacheRead += share.cacheReadTokens;
        to.cacheWrite += share.cacheWriteTokens;
        if (share.costBig != null) {
            from.costOverflow = from.costOverflow.subtract(share.costBig);
            to.costOverflow = to.costOverflow.add(share.costBig);
        } else {
            from.cost(-share.costUnscaled);
            to.cost(share.costUnscaled);
        }
    }

    /** Nearest-rank percentile (rank ceil(p/100 × n)); zero for no values. */
    private static Duration percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
    }
}
