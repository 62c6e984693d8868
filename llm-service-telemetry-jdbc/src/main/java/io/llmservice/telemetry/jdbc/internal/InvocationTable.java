package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Maps {@link InvocationRecord}s to the {@code invocation}, {@code invocation_label} and
 * {@code invocation_model_usage} (each model's share of an attempt) tables and back.
 */
public final class InvocationTable {
    private static final String COLUMNS = "request_id, attempt, started_at_ns, agent, team, tool, model, outcome,"
            + " exit_code, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, cost_source,"
            + " reserved_usd, latency_ns, error_code, error_summary, prompt_text, response_text";
    // Plain INSERT: a MERGE costs a key lookup per row. A batch retried after a lost connection
    // may already be committed; write(..., retry = true) leaves out what is stored instead.
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int PARAMETERS = 21;
    /**
     * Rows per INSERT statement: the store is reached over a (loopback) connection, and a JDBC batch
     * costs a round trip per row, so rows go in multi-row statements of this many.
     */
    public static final int ROWS_PER_STATEMENT = 256;
    public static final String INSERT_LABEL = "INSERT INTO invocation_label (request_id, attempt, name, label_value)"
            + " VALUES (?, ?, ?, ?)";
    private static final String EXISTS = "SELECT 1 FROM invocation WHERE request_id = ? AND attempt = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM invocation WHERE request_id = ? ORDER BY attempt";
    public static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM invocation";
    private static final String SELECT_LABELS = "SELECT attempt, name, label_value FROM invocation_label"
            + " WHERE request_id = ?";
    public static final String INSERT_MODEL_USAGE = "INSERT INTO invocation_model_usage (request_id, attempt, model,"
            + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT_MODEL_USAGE = "SELECT attempt, model, input_tokens, output_tokens,"
            + " cache_read_tokens, cache_write_tokens, cost_usd FROM invocation_model_usage WHERE request_id = ?"
            + " ORDER BY attempt, model";

    private InvocationTable() {
    }

    /** Epoch nanoseconds of an instant; the schema's time unit. */
    public static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    public static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /**
     * Writes a batch in the caller's transaction: the log rows, their labels and shares, and what
     * they add to the stats rollups ({@link RollupTable}). With {@code retry}, the batch may have been committed by an
     * attempt whose acknowledgement was lost, so records already stored (and repeats of a key within
     * the batch) are left out: the first write of a {@code (request_id, attempt)} is the one kept.
     */
    public static void write(Connection c, List<InvocationRecord> batch, boolean retry) throws SQLException {
        List<InvocationRecord> rows = retry ? notStored(c, batch) : batch;
        if (rows.isEmpty()) {
            return;
        }
        boolean labels = false;
        boolean perModel = false;
        for (InvocationRecord r : rows) {
            labels |= !r.labels().isEmpty();
            perModel |= !r.modelUsage().isEmpty();
        }
        int full = rows.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
        if (full > 0) {
            try (PreparedStatement ps = c.prepareStatement(insert(ROWS_PER_STATEMENT))) {
                for (int from = 0; from < full; from += ROWS_PER_STATEMENT) {
                    insert(ps, rows.subList(from, from + ROWS_PER_STATEMENT));
                }
            }
        }
        if (full < rows.size()) {
            try (PreparedStatement ps = c.prepareStatement(insert(rows.size() - full))) {
                insert(ps, rows.subList(full, rows.size()));
            }
        }
        if (labels) {
            try (PreparedStatement ps = c.prepareStatement(INSERT_LABEL)) {
                for (InvocationRecord r : rows) {
                    for (Map.Entry<String, String> e : r.labels().entrySet()) {
                        ps.setString(1, r.requestId());
                        ps.setInt(2, r.attempt());
                        ps.setString(3, e.getKey());
                        ps.setString(4, e.getValue());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        }
        if (perModel) {
            insertModelUsage(c, rows);
        }
        // Only the rows inserted here: on a retry, what an earlier attempt committed has its rollups already.
        RollupTable.add(c, RollupTable.contributions(c, rows));
    }

    /** The log's columns in {@link #fromRow}'s order, each prefixed with {@code alias.}. */
    static String columns(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static void insertModelUsage(Connection c, List<InvocationRecord> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_MODEL_USAGE)) {
            for (InvocationRecord r : rows) {
                for (ModelUsage m : r.modelUsage()) {
                    ps.setString(1, r.requestId());
                    ps.setInt(2, r.attempt());
                    ps.setString(3, m.model());
                    setLong(ps, 4, m.usage().inputTokens());
                    setLong(ps, 5, m.usage().outputTokens());
                    setLong(ps, 6, m.usage().cacheReadTokens());
                    setLong(ps, 7, m.usage().cacheWriteTokens());
                    ps.setBigDecimal(8, m.costUsd().orElse(null));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** {@code INSERT INTO invocation (...) VALUES (...), (...), ...} for {@code n} rows. */
    public static String insert(int n) {
        return "INSERT INTO invocation (" + COLUMNS + ") VALUES " + String.join(", ", java.util.Collections.nCopies(n, ROW));
    }

    private static void insert(PreparedStatement ps, List<InvocationRecord> rows) throws SQLException {
        for (int i = 0; i < rows.size(); i++) {
            bind(ps, i * PARAMETERS, rows.get(i));
        }
        ps.executeUpdate();
    }

    private static List<InvocationRecord> notStored(Connection c, List<InvocationRecord> batch) throws SQLException {
        List<InvocationRecord> out = new ArrayList<>(batch.size());
        Set<String> keys = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(EXISTS)) {
            for (InvocationRecord r : batch) {
                if (!keys.add(r.attempt() + ":" + r.requestId())) {
                    continue;
                }
                ps.setString(1, r.requestId());
                ps.setInt(2, r.attempt());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static void bind(PreparedStatement ps, int o, InvocationRecord r) throws SQLException {
        ps.setString(o + 1, r.requestId());
        ps.setInt(o + 2, r.attempt());
        ps.setLong(o + 3, nanos(r.startedAt()));
        ps.setString(o + 4, r.agent());
        ps.setString(o + 5, r.team().orElse(null));
        ps.setString(o + 6, r.tool());
        ps.setString(o + 7, r.model());
        ps.setString(o + 8, r.outcome().storedName());
        if (r.exitCode().isPresent()) {
            ps.setInt(o + 9, r.exitCode().getAsInt());
        } else {
            ps.setNull(o + 9, Types.INTEGER);
        }
        Usage u = r.usage();
        setLong(ps, o + 10, u.inputTokens());
        setLong(ps, o + 11, u.outputTokens());
        setLong(ps, o + 12, u.cacheReadTokens());
        setLong(ps, o + 13, u.cacheWriteTokens());
        ps.setBigDecimal(o + 14, r.costUsd().orElse(null));
        ps.setString(o + 15, r.costSource().name().toLowerCase(Locale.ROOT));
        ps.setBigDecimal(o + 16, r.reservedUsd().orElse(null));
        ps.setLong(o + 17, r.latency().toNanos());
        ps.setString(o + 18, r.errorCode().orElse(null));
        ps.setString(o + 19, r.errorSummary());
        ps.setString(o + 20, r.promptText().orElse(null));
        ps.setString(o + 21, r.responseText().orElse(null));
    }

    private static void setLong(PreparedStatement ps, int i, OptionalLong v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.getAsLong());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    public static List<InvocationRecord> find(Connection c, String requestId) throws SQLException {
        Map<Integer, Map<String, String>> labels = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_LABELS)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        Map<Integer, List<ModelUsage>> perModel = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_MODEL_USAGE)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    perModel.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>()).add(new ModelUsage(rs.getString(2),
                            Usage.of(optLong(rs, 3), optLong(rs, 4), optLong(rs, 5), optLong(rs, 6)),
                            Optional.ofNullable(decimal(rs.getBigDecimal(7)))));
                }
            }
        }
        List<InvocationRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    InvocationRecord r = fromRow(rs, labels.getOrDefault(rs.getInt(2), Map.of()));
                    List<ModelUsage> shares = perModel.get(r.attempt());
                    out.add(shares == null ? r : r.toBuilder().modelUsage(shares).build());
                }
            }
        }
        return out;
    }

    /** The record of the current row of a query selecting {@code COLUMNS} in order. */
    public static InvocationRecord fromRow(ResultSet rs, Map<String, String> labels) throws SQLException {
        Integer exit = (Integer) rs.getObject(9);
        return InvocationRecord.builder().requestId(rs.getString(1)).attempt(rs.getInt(2))
                .startedAt(instant(rs.getLong(3))).agent(rs.getString(4))
                .team(Optional.ofNullable(rs.getString(5))).tool(rs.getString(6)).model(rs.getString(7))
                .outcome(Outcome.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)))
                .exitCode(exit == null ? OptionalInt.empty() : OptionalInt.of(exit))
                .usage(Usage.of(optLong(rs, 10), optLong(rs, 11), optLong(rs, 12), optLong(rs, 13)))
                .costUsd(Optional.ofNullable(decimal(rs.getBigDecimal(14))))
                .costSource(CostSource.valueOf(rs.getString(15).toUpperCase(Locale.ROOT)))
                .reservedUsd(Optional.ofNullable(decimal(rs.getBigDecimal(16))))
                .latency(Duration.ofNanos(rs.getLong(17)))
                .errorCode(Optional.ofNullable(rs.getString(18))).errorSummary(rs.getString(19))
                .promptText(Optional.ofNullable(rs.getString(20))).responseText(Optional.ofNullable(rs.getString(21)))
                .labels(labels).build();
    }

    private static OptionalLong optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** A stored decimal without the column's trailing zeros ({@code 0.0123}, not {@code 0.012300000000}). */
    public static BigDecimal decimal(BigDecimal d) {
        if (d == null) {
            return null;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
