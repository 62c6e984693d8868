package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.Complexity;
import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;

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
            + " reserved_usd, latency_ns, error_code, error_summary, prompt_text, response_text,"
            + " estimated_prompt_tokens, complexity, requested_tool, requested_model";
    /** How many columns {@link #fromRow} reads: a query may select more after them. */
    public static final int COLUMN_COUNT = 25;
    // Plain INSERT: a MERGE costs a key lookup per row. A batch retried after a lost connection
    // may already be committed; write(..., retry = true) leaves out what is stored instead.
    private static final String ROW = "(" + String.join(", ", java.util.Collections.nCopies(COLUMN_COUNT, "?")) + ")";
    private static final int PARAMETERS = COLUMN_COUNT;
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
        List<InvocationRecord> storable = batch.stream().map(InvocationTable::storable).toList();
        List<InvocationRecord> rows = retry ? notStored(c, storable) : storable;
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

    /**
     * What a NUL character ({@code U+0000}) in a stored text becomes: {@code U+FFFD}, the replacement
     * character. PostgreSQL's {@code TEXT} cannot hold a NUL (SQL state {@code 22021}, never passing),
     * and one NUL in a tool's stderr tail, a prompt or a label would otherwise fail the whole batch it
     * is written in. H2 could hold it, but both dialects store the same text, so that a store copied
     * from H2 to PostgreSQL holds exactly what it held before.
     */
    public static final char NUL_REPLACEMENT = '\uFFFD';

    /** {@code text} with every NUL replaced by {@link #NUL_REPLACEMENT}; the same string when it has none. */
    public static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', NUL_REPLACEMENT);
    }

    /**
     * {@code r} with a NUL in any of its texts (ids and names, error code and summary, prompt and response,
     * label names and values, models of its shares, the tool and model its request named) replaced by {@link #NUL_REPLACEMENT}: every record
     * this table writes passes through here, the writer's and a copy's. The same record when it has none.
     */
    static InvocationRecord storable(InvocationRecord r) {
        if (!hasNul(r)) {
            return r;
        }
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        r.labels().forEach((k, v) -> labels.put(storable(k), storable(v)));
        return r.toBuilder().requestId(storable(r.requestId())).agent(storable(r.agent()))
                .team(r.team().map(InvocationTable::storable)).tool(storable(r.tool())).model(storable(r.model()))
                .errorCode(r.errorCode().map(InvocationTable::storable)).errorSummary(storable(r.errorSummary()))
                .promptText(r.promptText().map(InvocationTable::storable))
                .responseText(r.responseText().map(InvocationTable::storable)).labels(labels)
                .modelUsage(r.modelUsage().stream().map(m -> new ModelUsage(storable(m.model()), m.usage(), m.costUsd()))
                        .toList())
                .routeInput(r.routeInput().map(in -> RouteInput.builder(in.estimatedPromptTokens())
                        .complexity(in.complexity()).tool(in.tool().map(InvocationTable::storable))
                        .model(in.model().map(InvocationTable::storable)).build()))
                .build();
    }

    private static boolean hasNul(InvocationRecord r) {
        List<String> texts = new ArrayList<>(List.of(r.requestId(), r.agent(), r.tool(), r.model(), r.errorSummary()));
        r.team().ifPresent(texts::add);
        r.errorCode().ifPresent(texts::add);
        r.promptText().ifPresent(texts::add);
        r.responseText().ifPresent(texts::add);
        texts.addAll(r.labels().keySet());
        texts.addAll(r.labels().values());
        r.modelUsage().forEach(m -> texts.add(m.model()));
        r.routeInput().flatMap(RouteInput::tool).ifPresent(texts::add);
        r.routeInput().flatMap(RouteInput::model).ifPresent(texts::add);
        return texts.stream().anyMatch(t -> t.indexOf('\u0000') >= 0);
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
        Optional<RouteInput> in = r.routeInput();
        if (in.isPresent()) {
            ps.setLong(o + 22, in.get().estimatedPromptTokens());
        } else {
            ps.setNull(o + 22, Types.BIGINT);
        }
        ps.setString(o + 23, in.flatMap(RouteInput::complexity).map(Complexity::yamlName).orElse(null));
        ps.setString(o + 24, in.flatMap(RouteInput::tool).orElse(null));
        ps.setString(o + 25, in.flatMap(RouteInput::model).orElse(null));
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

    /** Rows a scan fetches per round trip: enough to hide the latency, few enough to keep memory small. */
    static final int SCAN_FETCH_SIZE = 2_000;
    /** The log's columns without the texts (a scan reads {@code NULL} in their place). */
    /**
     * What a scan reads: the columns a replay needs, constants in place of the others (so that {@link
     * #fromRow} reads both): no exit code, cost source ({@code unknown}), reservation, error code, error
     * summary or texts. Most of a row's bytes are in those.
     */
    private static final String SCAN_COLUMNS = COLUMNS.replace(" exit_code,", " NULL,")
            .replace(" cost_source,", " 'unknown',").replace(" reserved_usd,", " NULL,")
            .replace(" error_code, error_summary, prompt_text, response_text,", " NULL, '', NULL, NULL,");

    /**
     * Passes the records that started in {@code [from, to)} to {@code sink} as they are read, ordered by
     * start, request id (by code point: {@code requestIdOrder} names the column so, see
     * {@link JdbcDatabase#codePointOrder}) and attempt; without texts, labels, per-model shares, exit
     * code, cost source, reservation, error code or error summary (see {@link io.llmservice.spi.TelemetryStore#scanRecords}). The
     * caller's connection must stream (PostgreSQL: not in autocommit mode). Returns how many it passed.
     */
    public static long scan(Connection c, String requestIdOrder, Instant from, Instant to,
                            java.util.function.Consumer<InvocationRecord> sink) throws SQLException {
        String sql = "SELECT " + SCAN_COLUMNS + " FROM invocation WHERE started_at_ns >= ? AND started_at_ns < ?"
                + " ORDER BY started_at_ns, " + requestIdOrder + ", attempt";
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setFetchSize(SCAN_FETCH_SIZE);
            ps.setLong(1, nanos(from));
            ps.setLong(2, nanos(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(fromRow(rs, Map.of()));
                    n++;
                }
            }
        }
        return n;
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
                .labels(labels).routeInput(routeInput(rs, 22)).build();
    }

    /**
     * The route input in the four columns from {@code first} on; empty when the estimate is
     * {@code NULL}: the row was logged before the input was kept.
     */
    private static Optional<RouteInput> routeInput(ResultSet rs, int first) throws SQLException {
        long estimate = rs.getLong(first);
        if (rs.wasNull()) {
            return Optional.empty();
        }
        String complexity = rs.getString(first + 1);
        return Optional.of(RouteInput.builder(estimate)
                .complexity(Optional.ofNullable(complexity).map(c -> Complexity.valueOf(c.toUpperCase(Locale.ROOT))))
                .tool(Optional.ofNullable(rs.getString(first + 2))).model(Optional.ofNullable(rs.getString(first + 3)))
                .build());
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
