package io.llmservice.telemetry.h2.internal;

import io.llmservice.CostSource;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Maps {@link InvocationRecord}s to the {@code invocation} and {@code invocation_label} tables and back. */
final class InvocationTable {
    private static final String COLUMNS = "request_id, attempt, started_at_ns, agent, team, tool, model, outcome,"
            + " exit_code, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, cost_source,"
            + " reserved_usd, latency_ns, error_code, error_summary, prompt_text, response_text";
    // MERGE on the primary key: a batch retried after a lost connection cannot count a record twice.
    static final String UPSERT = "MERGE INTO invocation (" + COLUMNS + ") KEY (request_id, attempt)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPSERT_LABEL = "MERGE INTO invocation_label (request_id, attempt, name, label_value)"
            + " KEY (request_id, attempt, name) VALUES (?, ?, ?, ?)";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM invocation WHERE request_id = ? ORDER BY attempt";
    private static final String SELECT_LABELS = "SELECT attempt, name, label_value FROM invocation_label"
            + " WHERE request_id = ?";

    private InvocationTable() {
    }

    /** Epoch nanoseconds of an instant; the schema's time unit. */
    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Writes a batch in the caller's transaction. */
    static void write(Connection c, List<InvocationRecord> batch) throws SQLException {
        boolean labels = false;
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            for (InvocationRecord r : batch) {
                bind(ps, r);
                ps.addBatch();
                labels |= !r.labels().isEmpty();
            }
            ps.executeBatch();
        }
        if (labels) {
            try (PreparedStatement ps = c.prepareStatement(UPSERT_LABEL)) {
                for (InvocationRecord r : batch) {
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
    }

    private static void bind(PreparedStatement ps, InvocationRecord r) throws SQLException {
        ps.setString(1, r.requestId());
        ps.setInt(2, r.attempt());
        ps.setLong(3, nanos(r.startedAt()));
        ps.setString(4, r.agent());
        ps.setString(5, r.team().orElse(null));
        ps.setString(6, r.tool());
        ps.setString(7, r.model());
        ps.setString(8, r.outcome().storedName());
        if (r.exitCode().isPresent()) {
            ps.setInt(9, r.exitCode().getAsInt());
        } else {
            ps.setNull(9, Types.INTEGER);
        }
        Usage u = r.usage();
        setLong(ps, 10, u.inputTokens());
        setLong(ps, 11, u.outputTokens());
        setLong(ps, 12, u.cacheReadTokens());
        setLong(ps, 13, u.cacheWriteTokens());
        ps.setBigDecimal(14, r.costUsd().orElse(null));
        ps.setString(15, r.costSource().name().toLowerCase(Locale.ROOT));
        ps.setBigDecimal(16, r.reservedUsd().orElse(null));
        ps.setLong(17, r.latency().toNanos());
        ps.setString(18, r.errorCode().orElse(null));
        ps.setString(19, r.errorSummary());
        ps.setString(20, r.promptText().orElse(null));
        ps.setString(21, r.responseText().orElse(null));
    }

    private static void setLong(PreparedStatement ps, int i, OptionalLong v) throws SQLException {
        if (v.isPresent()) {
            ps.setLong(i, v.getAsLong());
        } else {
            ps.setNull(i, Types.BIGINT);
        }
    }

    static List<InvocationRecord> find(Connection c, String requestId) throws SQLException {
        Map<Integer, Map<String, String>> labels = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_LABELS)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    labels.computeIfAbsent(rs.getInt(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
                }
            }
        }
        List<InvocationRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int attempt = rs.getInt(2);
                    Integer exit = (Integer) rs.getObject(9);
                    out.add(new InvocationRecord(rs.getString(1), attempt, instant(rs.getLong(3)), rs.getString(4),
                            Optional.ofNullable(rs.getString(5)), rs.getString(6), rs.getString(7),
                            Outcome.valueOf(rs.getString(8).toUpperCase(Locale.ROOT)),
                            exit == null ? OptionalInt.empty() : OptionalInt.of(exit),
                            Usage.of(optLong(rs, 10), optLong(rs, 11), optLong(rs, 12), optLong(rs, 13)),
                            Optional.ofNullable(decimal(rs.getBigDecimal(14))),
                            CostSource.valueOf(rs.getString(15).toUpperCase(Locale.ROOT)),
                            Optional.ofNullable(decimal(rs.getBigDecimal(16))), Duration.ofNanos(rs.getLong(17)),
                            Optional.ofNullable(rs.getString(18)), rs.getString(19),
                            Optional.ofNullable(rs.getString(20)), Optional.ofNullable(rs.getString(21)),
                            labels.getOrDefault(attempt, Map.of())));
                }
            }
        }
        return out;
    }

    private static OptionalLong optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** A stored decimal without the column's trailing zeros ({@code 0.0123}, not {@code 0.012300000000}). */
    static BigDecimal decimal(BigDecimal d) {
        if (d == null) {
            return null;
        }
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
