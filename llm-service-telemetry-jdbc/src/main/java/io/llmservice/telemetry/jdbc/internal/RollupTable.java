package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsQuery;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.LatencyHistogram;
import io.llmservice.spi.PriorAttempt;
import io.llmservice.spi.RollupContributions;
import io.llmservice.spi.RollupKey;
import io.llmservice.spi.RollupRow;
import io.llmservice.spi.RollupStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code stat_rollup} table: one {@link RollupRow} per {@link RollupKey}, the same SQL in H2 and
 * PostgreSQL. The writer adds a batch's contributions ({@link #contributions}, {@link #add}) in the
 * batch's transaction; {@link #read} gives the rows of a report's window.
 *
 * <pre>{@code
 * InvocationTable.write(c, batch, false);          // the log rows first: earlier attempts are read back
 * c.commit();                                      // (write adds the rollups of what it inserted)
 * StatsReport r = RollupStats.report(query, RollupTable.read(c, query));
 * }</pre>
 *
 * <p><b>Many writers.</b> {@link #add} takes the keys in primary-key order, {@value #KEYS_PER_SELECT}
 * at a time: it locks the stored rows of those keys and only those ({@code SELECT ... WHERE (key) IN
 * ((...), ...) ORDER BY key FOR UPDATE}, through the primary key, so writers of other keys of the same
 * quarter-hour do not wait), adds counters and merges histograms in Java, and inserts the keys that
 * have no row yet. When another writer inserted one of those first (unique violation), the insert is
 * undone to a savepoint and the keys are locked and added to again before the next keys, so no lock
 * on an earlier group of keys is taken while a later one is held; the transaction stays
 * all-or-nothing. Stateless.
 */
public final class RollupTable {
    private static final String KEY = "bucket_start_ns, agent, team, tool, model, outcome";
    private static final String COLUMNS = KEY + ", attempts, requests_by_request, requests_by_tool,"
            + " requests_by_model, succeeded_by_request, succeeded_by_tool, succeeded_by_model, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int PARAMETERS = 19;
    private static final String UPDATE = "UPDATE stat_rollup SET attempts = ?, requests_by_request = ?,"
            + " requests_by_tool = ?, requests_by_model = ?, succeeded_by_request = ?, succeeded_by_tool = ?,"
            + " succeeded_by_model = ?, input_tokens = ?, output_tokens = ?, cache_read_tokens = ?,"
            + " cache_write_tokens = ?, cost_usd = ?, latency = ? WHERE bucket_start_ns = ? AND agent = ? AND team = ?"
            + " AND tool = ? AND model = ? AND outcome = ?";
    /** Rows per multi-row INSERT (a JDBC batch costs H2 a round trip per row). */
    private static final int ROWS_PER_INSERT = 128;
    /** Keys per locking SELECT (six parameters each). */
    private static final int KEYS_PER_SELECT = 128;
    /** Request ids per look-up of earlier attempts. */
    private static final int IDS_PER_SELECT = 256;
    /** Rounds of lock, update, insert when other writers keep inserting the same new keys. */
    private static final int INSERT_ROUNDS = 5;
    private static final int FETCH_SIZE = 2_000;
    private static final String UNIQUE_VIOLATION = "23505";
    /** The order keys are inserted in, the same in every process. */
    static final Comparator<RollupKey> KEY_ORDER = Comparator.comparing(RollupKey::start)
            .thenComparing(RollupKey::agent).thenComparing(RollupKey::team).thenComparing(RollupKey::tool)
            .thenComparing(RollupKey::model).thenComparing(k -> k.outcome().storedName());

    private RollupTable() {
    }

    /**
     * What {@code inserted} add to the rollups, merged per key. Runs in the writer's transaction after
     * the records' rows were inserted: a record's earlier attempts (looked up only for attempt &gt; 1,
     * in one query per {@value #IDS_PER_SELECT} requests) may be in the same batch.
     */
    public static Map<RollupKey, RollupRow> contributions(Connection c, List<InvocationRecord> inserted)
            throws SQLException {
        Set<String> later = new LinkedHashSet<>();
        for (InvocationRecord r : inserted) {
            if (r.attempt() > 1) {
                later.add(r.requestId());
            }
        }
        Map<String, List<PriorAttempt>> earlier = earlierAttempts(c, new ArrayList<>(later));
        Map<RollupKey, RollupRow> deltas = new HashMap<>();
        for (InvocationRecord r : inserted) {
            List<PriorAttempt> before = r.attempt() > 1 ? earlier.getOrDefault(r.requestId(), List.of()) : List.of();
            for (RollupRow delta : RollupContributions.of(r, before)) {
                deltas.merge(delta.key(), delta, RollupRow::plus);
            }
        }
        return deltas;
    }

    /** Every stored attempt of the given requests, with the models of their sub-agents' shares. */
    private static Map<String, List<PriorAttempt>> earlierAttempts(Connection c, List<String> ids) throws SQLException {
        Map<String, List<PriorAttempt>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_SELECT) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_SELECT));
            String in = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            Map<String, Set<String>> shares = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt, model"
                    + " FROM invocation_model_usage WHERE request_id IN (" + in + ")")) {
                bindAll(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        shares.computeIfAbsent(rs.getString(1) + "\u0000" + rs.getInt(2), k -> new TreeSet<>())
                                .add(rs.getString(3));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt, started_at_ns, tool, model,"
                    + " outcome FROM invocation WHERE request_id IN (" + in + ")")) {
                bindAll(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String id = rs.getString(1);
                        int attempt = rs.getInt(2);
                        String model = rs.getString(5);
                        Set<String> others = new TreeSet<>(attempt > 0
                                ? shares.getOrDefault(id + "\u0000" + attempt, Set.of()) : Set.of());
                        others.remove(model);
                        out.computeIfAbsent(id, k -> new ArrayList<>()).add(new PriorAttempt(attempt,
                                InvocationTable.instant(rs.getLong(3)), rs.getString(4), model, outcome(rs.getString(6)),
                                others));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Adds {@code deltas} to the stored rows of their keys in the caller's transaction: existing rows
     * are locked, added to and updated; missing ones inserted. See the class comment for many writers.
     */
    public static void add(Connection c, Map<RollupKey, RollupRow> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<RollupRow> sorted = new ArrayList<>(deltas.values());
        sorted.sort(Comparator.comparing(RollupRow::key, KEY_ORDER));
        // A chunk at a time in key order, its retries included: no lock is taken on a key of an earlier
        // chunk while one of a later chunk is held.
        for (int from = 0; from < sorted.size(); from += KEYS_PER_SELECT) {
            addChunk(c, sorted.subList(from, Math.min(sorted.size(), from + KEYS_PER_SELECT)));
        }
    }

    private static void addChunk(Connection c, List<RollupRow> chunk) throws SQLException {
        Map<RollupKey, RollupRow> remaining = new TreeMap<>(KEY_ORDER);
        chunk.forEach(r -> remaining.put(r.key(), r));
        for (int round = 1; ; round++) {
            Map<RollupKey, RollupRow> stored = lock(c, new ArrayList<>(remaining.keySet()));
            List<RollupRow> updates = new ArrayList<>(stored.size());
            List<RollupRow> inserts = new ArrayList<>();
            for (RollupRow delta : remaining.values()) {
                RollupRow old = stored.get(delta.key());
                if (old == null) {
                    inserts.add(delta);
                } else {
                    updates.add(old.plus(delta));
                }
            }
            update(c, updates);
            if (inserts.isEmpty()) {
                return;
            }
            Savepoint before = c.setSavepoint();
            try {
                insert(c, inserts);
                c.releaseSavepoint(before);
                return;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState()) || round == INSERT_ROUNDS) {
                    throw e;
                }
                // Another writer inserted one of these keys and committed: lock and add to them now.
                c.rollback(before);
                remaining.keySet().retainAll(inserts.stream().map(RollupRow::key).toList());
            }
        }
    }

    /**
     * Locks and reads the stored rows of {@code keys} (sorted, at most {@value #KEYS_PER_SELECT}): only
     * those rows, found through the primary key, so writers adding to other keys of the same
     * quarter-hour do not wait for this one.
     */
    private static Map<RollupKey, RollupRow> lock(Connection c, List<RollupKey> keys) throws SQLException {
        Map<RollupKey, RollupRow> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM stat_rollup WHERE (" + KEY
                + ") IN (" + String.join(", ", Collections.nCopies(keys.size(), "(?, ?, ?, ?, ?, ?)"))
                + ") ORDER BY " + KEY + " FOR UPDATE")) {
            int i = 1;
            for (RollupKey k : keys) {
                ps.setLong(i++, InvocationTable.nanos(k.start()));
                ps.setString(i++, k.agent());
                ps.setString(i++, k.team());
                ps.setString(i++, k.tool());
                ps.setString(i++, k.model());
                ps.setString(i++, k.outcome().storedName());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RollupRow row = row(rs);
                    out.put(row.key(), row);
                }
            }
        }
        return out;
    }

    private static void update(Connection c, List<RollupRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
            for (RollupRow r : rows) {
                ps.setLong(1, r.attempts());
                ps.setLong(2, r.requestsByRequest());
                ps.setLong(3, r.requestsByTool());
                ps.setLong(4, r.requestsByModel());
                ps.setLong(5, r.succeededByRequest());
                ps.setLong(6, r.succeededByTool());
                ps.setLong(7, r.succeededByModel());
                ps.setLong(8, r.inputTokens());
                ps.setLong(9, r.outputTokens());
                ps.setLong(10, r.cacheReadTokens());
                ps.setLong(11, r.cacheWriteTokens());
                ps.setBigDecimal(12, r.costUsd());
                ps.setBytes(13, r.latency().toBytes());
                RollupKey k = r.key();
                ps.setLong(14, InvocationTable.nanos(k.start()));
                ps.setString(15, k.agent());
                ps.setString(16, k.team());
                ps.setString(17, k.tool());
                ps.setString(18, k.model());
                ps.setString(19, k.outcome().storedName());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insert(Connection c, List<RollupRow> rows) throws SQLException {
        int full = rows.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(insertSql(ROWS_PER_INSERT))) {
                for (int from = 0; from < full; from += ROWS_PER_INSERT) {
                    insert(ps, rows.subList(from, from + ROWS_PER_INSERT));
                }
            }
        }
        if (full < rows.size()) {
            try (PreparedStatement ps = c.prepareStatement(insertSql(rows.size() - full))) {
                insert(ps, rows.subList(full, rows.size()));
            }
        }
    }

    private static String insertSql(int n) {
        return "INSERT INTO stat_rollup (" + COLUMNS + ") VALUES " + String.join(", ", Collections.nCopies(n, ROW));
    }

    private static void insert(PreparedStatement ps, List<RollupRow> rows) throws SQLException {
        for (int i = 0; i < rows.size(); i++) {
            int o = i * PARAMETERS;
            RollupRow r = rows.get(i);
            RollupKey k = r.key();
            ps.setLong(o + 1, InvocationTable.nanos(k.start()));
            ps.setString(o + 2, k.agent());
            ps.setString(o + 3, k.team());
            ps.setString(o + 4, k.tool());
            ps.setString(o + 5, k.model());
            ps.setString(o + 6, k.outcome().storedName());
            ps.setLong(o + 7, r.attempts());
            ps.setLong(o + 8, r.requestsByRequest());
            ps.setLong(o + 9, r.requestsByTool());
            ps.setLong(o + 10, r.requestsByModel());
            ps.setLong(o + 11, r.succeededByRequest());
            ps.setLong(o + 12, r.succeededByTool());
            ps.setLong(o + 13, r.succeededByModel());
            ps.setLong(o + 14, r.inputTokens());
            ps.setLong(o + 15, r.outputTokens());
            ps.setLong(o + 16, r.cacheReadTokens());
            ps.setLong(o + 17, r.cacheWriteTokens());
            ps.setBigDecimal(o + 18, r.costUsd());
            ps.setBytes(o + 19, r.latency().toBytes());
        }
        ps.executeUpdate();
    }

    /**
     * The rows of {@code query}'s window ({@link RollupStats#windowStart}, {@link RollupStats#windowEnd}),
     * added up per quarter-hour and group of the query's dimension by the database: the counters
     * summed, the histograms collected ({@code ARRAY_AGG}) and merged here. Each row returned
     * holds the quarter-hour, the group (the other key parts empty) and, in every request and
     * succeeded counter, those of the query's dimension; {@link RollupStats#report} adds them up
     * to the same report as the stored rows. A quarter-hour lies in one period in every zone, so
     * grouping by it loses nothing; it cuts what crosses the connection by the number of rows per
     * quarter-hour and group (tools, models, outcomes). Read with a fetch size.
     */
    public static List<RollupRow> read(Connection c, StatsQuery query) throws SQLException {
        Optional<Instant> from = RollupStats.windowStart(query);
        Optional<Instant> to = RollupStats.windowEnd(query);
        StatsDimension by = query.groupBy();
        String group = switch (by) {
            case AGENT -> "agent";
            case TEAM -> "team";
            case TOOL -> "tool";
            case MODEL -> "model";
        };
        String counters = switch (by) {
            case AGENT, TEAM -> "requests_by_request), SUM(succeeded_by_request";
            case TOOL -> "requests_by_tool), SUM(succeeded_by_tool";
            case MODEL -> "requests_by_model), SUM(succeeded_by_model";
        };
        String sql = "SELECT bucket_start_ns, " + group + ", SUM(attempts), SUM(" + counters + "), SUM(input_tokens),"
                + " SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens), SUM(cost_usd),"
                + " ARRAY_AGG(latency) FROM stat_rollup"
                + (from.isPresent() || to.isPresent() ? " WHERE " : "")
                + (from.isPresent() ? "bucket_start_ns >= ?" : "")
                + (from.isPresent() && to.isPresent() ? " AND " : "")
                + (to.isPresent() ? "bucket_start_ns < ?" : "")
                + " GROUP BY bucket_start_ns, " + group;
        boolean autoCommit = c.getAutoCommit();
        // PostgreSQL streams with a fetch size only inside a transaction.
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(FETCH_SIZE);
            int i = 1;
            if (from.isPresent()) {
                ps.setLong(i++, nanos(from.get()));
            }
            if (to.isPresent()) {
                ps.setLong(i, nanos(to.get()));
            }
            List<RollupRow> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String g = rs.getString(2);
                    RollupKey key = new RollupKey(InvocationTable.instant(rs.getLong(1)), by == StatsDimension.AGENT ? g : "",
                            by == StatsDimension.TEAM ? g : "", by == StatsDimension.TOOL ? g : "",
                            by == StatsDimension.MODEL ? g : "", Outcome.SUCCESS);
                    long requests = rs.getLong(4);
                    long succeeded = rs.getLong(5);
                    // A few short histograms per row: sparse merges, not a Builder's dense array per row.
                    LatencyHistogram latency = LatencyHistogram.empty();
                    java.sql.Array histograms = rs.getArray(11);
                    for (Object h : (Object[]) histograms.getArray()) {
                        latency = latency.plus(LatencyHistogram.fromBytes((byte[]) h));
                    }
                    histograms.free();
                    rows.add(RollupRow.builder(key).attempts(rs.getLong(3)).requests(requests, requests, requests)
                            .succeeded(succeeded, succeeded, succeeded)
                            .tokens(rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9))
                            .costUsd(rs.getBigDecimal(10)).latency(latency).build());
                }
            }
            return rows;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Passes the stored rows of the quarter-hours starting in {@code [from, to)} to {@code sink}, in
     * primary-key order (quarter-hour first), one row per key (the primary key), streamed with a fetch
     * size inside a read-only transaction that is rolled back: PostgreSQL streams only with autocommit
     * off, and without it would hold the whole window in memory.
     */
    public static void scan(Connection c, Instant from, Instant to, java.util.function.Consumer<RollupRow> sink)
            throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM stat_rollup"
                + " WHERE bucket_start_ns >= ? AND bucket_start_ns < ? ORDER BY " + KEY)) {
            ps.setFetchSize(FETCH_SIZE);
            ps.setLong(1, nanos(from));
            ps.setLong(2, nanos(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(row(rs));
                }
            }
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    /** Epoch nanoseconds, clamped to what a BIGINT holds (a window bound may be far in the past or future). */
    private static long nanos(Instant t) {
        try {
            return InvocationTable.nanos(t);
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * Deletes the rows of the quarter-hours that end at or before {@code cutoff}, in the caller's
     * transaction. The quarter-hour holding a cutoff that is not on a quarter-hour stays whole.
     */
    public static long deleteOlderThan(Connection c, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM stat_rollup WHERE bucket_start_ns < ?")) {
            ps.setLong(1, nanos(RollupKey.bucketStart(cutoff)));
            return ps.executeLargeUpdate();
        }
    }

    /**
     * Rolls up the invocation log once when {@code stat_rollup_backfill} says so (a database migrated
     * from before the rollups), then clears the flag; one transaction. Reads the log in (request,
     * attempt) order, so that each attempt's contributions see the request's earlier attempts.
     *
     * @return the number of log rows rolled up (0 when there was nothing to do)
     */
    public static long backfill(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            boolean pending;
            try (PreparedStatement ps = c.prepareStatement("SELECT pending FROM stat_rollup_backfill FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                pending = rs.next() && rs.getBoolean(1);
            }
            long n = 0;
            if (pending) {
                Map<RollupKey, RollupRow> rows = new HashMap<>();
                String sql = "SELECT " + InvocationTable.columns("i") + ", u.model, u.input_tokens, u.output_tokens,"
                        + " u.cache_read_tokens, u.cache_write_tokens, u.cost_usd FROM invocation i"
                        + " LEFT JOIN invocation_model_usage u ON u.request_id = i.request_id AND u.attempt = i.attempt"
                        + " ORDER BY i.request_id, i.attempt, u.model";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        String request = null;
                        List<PriorAttempt> before = new ArrayList<>();
                        InvocationRecord pendingRecord = null;
                        List<ModelUsage> shares = new ArrayList<>();
                        while (rs.next()) {
                            String id = rs.getString(1);
                            int attempt = rs.getInt(2);
                            if (pendingRecord == null || !pendingRecord.requestId().equals(id)
                                    || pendingRecord.attempt() != attempt) {
                                if (pendingRecord != null) {
                                    InvocationRecord r = withShares(pendingRecord, shares);
                                    if (!r.requestId().equals(request)) {
                                        request = r.requestId();
                                        before.clear();
                                    }
                                    addAll(rows, RollupContributions.of(r, before));
                                    before.add(PriorAttempt.of(r));
                                    n++;
                                }
                                pendingRecord = InvocationTable.fromRow(rs, Map.of());
                                shares = new ArrayList<>();
                            }
                            int u = InvocationTable.COLUMN_COUNT; // the share's columns follow the log's
                            String model = rs.getString(u + 1);
                            if (model != null) {
                                shares.add(new ModelUsage(model, Usage.of(optLong(rs, u + 2), optLong(rs, u + 3),
                                        optLong(rs, u + 4), optLong(rs, u + 5)),
                                        Optional.ofNullable(InvocationTable.decimal(rs.getBigDecimal(u + 6)))));
                            }
                        }
                        if (pendingRecord != null) {
                            InvocationRecord r = withShares(pendingRecord, shares);
                            if (!r.requestId().equals(request)) {
                                before.clear();
                            }
                            addAll(rows, RollupContributions.of(r, before));
                            n++;
                        }
                    }
                }
                add(c, rows);
                try (PreparedStatement ps = c.prepareStatement("UPDATE stat_rollup_backfill SET pending = FALSE")) {
                    ps.executeUpdate();
                }
            }
            c.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static InvocationRecord withShares(InvocationRecord r, List<ModelUsage> shares) {
        return shares.isEmpty() ? r : r.toBuilder().modelUsage(shares).build();
    }

    private static void addAll(Map<RollupKey, RollupRow> rows, List<RollupRow> deltas) {
        for (RollupRow d : deltas) {
            rows.merge(d.key(), d, RollupRow::plus);
        }
    }

    private static java.util.OptionalLong optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v);
    }

    private static RollupRow row(ResultSet rs) throws SQLException {
        RollupKey key = new RollupKey(InvocationTable.instant(rs.getLong(1)), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), outcome(rs.getString(6)));
        return new RollupRow(key, rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17),
                InvocationTable.decimal(rs.getBigDecimal(18)), LatencyHistogram.fromBytes(rs.getBytes(19)));
    }

    private static Outcome outcome(String stored) {
        return Outcome.valueOf(stored.toUpperCase(Locale.ROOT));
    }

    private static void bindAll(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }
}
