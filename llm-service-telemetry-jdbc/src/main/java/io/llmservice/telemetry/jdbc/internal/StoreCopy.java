package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.ModelUsage;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.StoreCopyOptions;
import io.llmservice.spi.StoreCopyReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Copies one store's invocation log and budget ledger into another ({@code llm-service telemetry copy}:
 * a machine's H2 store into a team's PostgreSQL), so that a run killed half way, or run twice, leaves
 * every record and every dollar of spend at the target exactly once.
 *
 * <pre>{@code
 * StoreCopyReport r = new StoreCopy(h2Database, postgresDatabase, Clock.systemUTC(),
 *         StoreCopyOptions.builder().build()).run();
 * }</pre>
 *
 * <ul>
 * <li><b>Invocation log</b> (with labels and per-model shares): read from the source in batches in key
 * order {@code (request_id, attempt)}; each batch is written at the target in one transaction through
 * {@link InvocationTable#write} — the writer's own insert path, so the target's stats include each
 * copied record once — leaving out the records the target already holds. The same transaction moves
 * the source's row in {@code store_import_progress}, from which a killed copy resumes; a finished copy
 * deletes it, so the next copy of the same source scans everything again (and adds what is new).</li>
 * <li><b>Spend</b>: the target may already hold spend of the same budget and period from other hosts,
 * so each period's spend is added, not copied: {@code store_import} remembers, per source id, budget and
 * period, how much was added; a run adds the difference to the source's spend now, in the same
 * transaction, under the period's row lock (its {@code updated_at_ns} in the target's database time).
 * A difference is never subtracted: when the source holds less than was copied from it (restored from
 * an older backup), the copy is refused before any spend is added, naming each such budget and period;
 * with {@code force} those periods are kept as they are.</li>
 * <li><b>Reservations</b>: the closed ones (settled, released, charged at expiry) are copied as history
 * (reservations are sized from it) without adding them to spend again. Live ones are not copied; while
 * the source holds any that have not expired, the copy is refused unless {@code force}. Reservations
 * that expired unsettled are charged at the source first, as any read of the ledger would.</li>
 * <li>Rate-limit buckets and cooldowns are transient and not copied.</li>
 * </ul>
 *
 * <p>Single use; not thread-safe. Two copies of one source running at once are safe (a key inserted by
 * both fails one transaction, which is retried and then finds it) but pointless.
 */
public final class StoreCopy {
    private static final Logger LOG = LoggerFactory.getLogger(StoreCopy.class);
    /** Keys per {@code IN (...)} list: well within every driver's limit of bind parameters. */
    private static final int IN_LIST = 500;
    private static final String RECORD_COLUMNS = InvocationTable.SELECT_ALL.substring("SELECT ".length(),
            InvocationTable.SELECT_ALL.indexOf(" FROM "));

    private final JdbcDatabase source;
    private final JdbcDatabase target;
    private final Clock clock;
    private final StoreCopyOptions options;

    public StoreCopy(JdbcDatabase source, JdbcDatabase target, Clock clock, StoreCopyOptions options) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Copies (or, in a dry run, counts); see the class comment. */
    public StoreCopyReport run() {
        String sourceId = readSource("read its store id", source::storeId).orElseThrow(() -> new LlmServiceException(
                ErrorCode.INVALID_REQUEST, "the store at " + source.describe() + " has no store id and cannot be"
                + " the source of a copy; copy an 'h2' store"));
        Optional<String> targetId = readTarget("read its store id", target::storeId);
        if (targetId.isPresent() && targetId.get().equals(sourceId)) {
            throw new LlmServiceException(ErrorCode.INVALID_REQUEST, "the source and the target of the copy are the"
                    + " same store (" + source.describe() + "); name another target");
        }
        readTarget("find its import tables (store_import, store_import_progress: a 'postgres' store has them)",
                c -> count(c, "SELECT COUNT(*) FROM store_import_progress"));
        long nowNs = InvocationTable.nanos(clock.instant());
        long live = refuseLiveReservations(nowNs);
        if (!options.dryRun()) {
            chargeExpiredAtSource(nowNs);
        }
        refuseLowerSpend(sourceId);
        long total = readSource("count its records", c -> count(c, "SELECT COUNT(*) FROM invocation"));
        long[] copied = copyInvocations(sourceId, total);
        long[] periods = new long[1];
        BigDecimal spend = copySpend(sourceId, periods);
        long reservations = copyReservations();
        StoreCopyReport report = new StoreCopyReport(sourceId, total, copied[0], copied[1], periods[0], spend,
                reservations, live, options.dryRun());
        LOG.info("telemetry copy {} -> {}: {}", source.describe(), target.describe(), report);
        return report;
    }

    /** The number of live reservations not yet expired; refuses the copy when there are any, unless forced. */
    private long refuseLiveReservations(long nowNs) {
        Map<String, Long> perBudget = new LinkedHashMap<>();
        long[] lastExpiry = {0};
        readSource("read its live reservations", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT budget, COUNT(*), MAX(expires_at_ns)"
                    + " FROM budget_reservation WHERE state = 'live' AND expires_at_ns > ? GROUP BY budget"
                    + " ORDER BY budget")) {
                ps.setLong(1, nowNs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        perBudget.put(rs.getString(1), rs.getLong(2));
                        lastExpiry[0] = Math.max(lastExpiry[0], rs.getLong(3));
                    }
                }
            }
            return null;
        });
        long live = perBudget.values().stream().mapToLong(Long::longValue).sum();
        if (live > 0 && !options.force()) {
            StringBuilder budgets = new StringBuilder();
            perBudget.forEach((b, n) -> budgets.append(budgets.isEmpty() ? "" : ", ").append(b).append(": ").append(n));
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the store at " + source.describe() + " holds "
                    + live + " live reservation(s) (" + budgets + "): calls are still running against it, and"
                    + " their spend is not known yet. Nothing was copied. Stop the agents that use it (or wait until "
                    + InvocationTable.instant(lastExpiry[0]) + ", when the last one expires) and copy again; --force"
                    + " copies now and leaves those calls' spend to a later run of the same copy");
        }
        return live;
    }

    /** Charges reservations that expired unsettled, as any read of the source's ledger would. */
    private void chargeExpiredAtSource(long nowNs) {
        List<String[]> periods = readSource("read its expired reservations", c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT budget, period_key FROM budget_reservation"
                    + " WHERE state = 'live' AND expires_at_ns <= ?")) {
                ps.setLong(1, nowNs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return out;
        });
        JdbcBudgetLedger ledger = new JdbcBudgetLedger(source, clock);
        for (String[] p : periods) {
            ledger.standing(p[0], p[1], InvocationTable.instant(nowNs));
        }
    }

    /** Returns {records written, records the target already held}. */
    private long[] copyInvocations(String sourceId, long total) {
        long written = 0;
        long alreadyThere = 0;
        Key after = null;
        long done = 0;
        if (!options.dryRun()) {
            Optional<Map.Entry<Key, Long>> resume = readTarget("read the copy's progress", c -> progress(c, sourceId));
            if (resume.isPresent()) {
                after = resume.get().getKey();
                done = resume.get().getValue();
                LOG.info("telemetry copy {} -> {}: resuming after {} record(s), at request {} attempt {}",
                        source.describe(), target.describe(), done, after.requestId(), after.attempt());
            }
        }
        options.progress().records(done, total);
        while (true) {
            Key from = after;
            List<InvocationRecord> batch = readSource("read records", c -> readBatch(c, from));
            if (batch.isEmpty()) {
                break;
            }
            InvocationRecord last = batch.get(batch.size() - 1);
            Key upTo = new Key(last.requestId(), last.attempt());
            long doneAfter = done + batch.size();
            long[] n;
            if (options.dryRun()) {
                n = readTarget("look up records", c -> new long[] {0, stored(c, batch).size()});
            } else {
                n = Transactions.run(target, "telemetry copy into " + target.describe() + ": could not write records",
                        c -> {
                            Set<Key> stored = stored(c, batch);
                            List<InvocationRecord> rows = new ArrayList<>(batch.size());
                            for (InvocationRecord r : batch) {
                                if (!stored.contains(new Key(r.requestId(), r.attempt()))) {
                                    rows.add(r);
                                }
                            }
                            InvocationTable.write(c, rows, false);
                            saveProgress(c, sourceId, upTo, doneAfter);
                            return new long[] {rows.size(), batch.size() - rows.size()};
                        });
            }
            written += n[0];
            alreadyThere += n[1];
            done = doneAfter;
            after = upTo;
            options.progress().records(done, total);
        }
        if (!options.dryRun()) {
            Transactions.run(target, "telemetry copy into " + target.describe() + ": could not finish", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM store_import_progress WHERE source_id = ?")) {
                    ps.setString(1, sourceId);
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return new long[] {written, alreadyThere};
    }

    /** The next batch after {@code after} in key order, with labels and per-model shares. */
    private List<InvocationRecord> readBatch(Connection c, Key after) throws SQLException {
        String sql = "SELECT " + RECORD_COLUMNS + " FROM invocation"
                + (after == null ? "" : " WHERE request_id > ? OR (request_id = ? AND attempt > ?)")
                + " ORDER BY request_id, attempt LIMIT " + options.batchSize();
        List<InvocationRecord> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (after != null) {
                ps.setString(1, after.requestId());
                ps.setString(2, after.requestId());
                ps.setInt(3, after.attempt());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(InvocationTable.fromRow(rs, Map.of()));
                }
            }
        }
        if (rows.isEmpty()) {
            return rows;
        }
        List<String> ids = rows.stream().map(InvocationRecord::requestId).distinct().toList();
        Map<Key, Map<String, String>> labels = new HashMap<>();
        Map<Key, List<ModelUsage>> shares = new HashMap<>();
        for (List<String> part : parts(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt, name, label_value FROM"
                    + " invocation_label WHERE request_id IN (" + marks(part.size()) + ")")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        labels.computeIfAbsent(new Key(rs.getString(1), rs.getInt(2)), k -> new HashMap<>())
                                .put(rs.getString(3), rs.getString(4));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt, model, input_tokens,"
                    + " output_tokens, cache_read_tokens, cache_write_tokens, cost_usd FROM invocation_model_usage"
                    + " WHERE request_id IN (" + marks(part.size()) + ") ORDER BY request_id, attempt, model")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        shares.computeIfAbsent(new Key(rs.getString(1), rs.getInt(2)), k -> new ArrayList<>())
                                .add(new ModelUsage(rs.getString(3), Usage.of(optLong(rs, 4), optLong(rs, 5),
                                        optLong(rs, 6), optLong(rs, 7)),
                                        Optional.ofNullable(InvocationTable.decimal(rs.getBigDecimal(8)))));
                    }
                }
            }
        }
        List<InvocationRecord> out = new ArrayList<>(rows.size());
        for (InvocationRecord r : rows) {
            Key k = new Key(r.requestId(), r.attempt());
            Map<String, String> l = labels.get(k);
            List<ModelUsage> s = shares.get(k);
            if (l == null && s == null) {
                out.add(r);
            } else {
                InvocationRecord.Builder b = r.toBuilder();
                if (l != null) {
                    b.labels(l);
                }
                if (s != null) {
                    b.modelUsage(s);
                }
                out.add(b.build());
            }
        }
        return out;
    }

    /** The keys of {@code batch} the target already holds. */
    private static Set<Key> stored(Connection c, List<InvocationRecord> batch) throws SQLException {
        List<String> ids = batch.stream().map(InvocationRecord::requestId).distinct().toList();
        Set<Key> out = new HashSet<>();
        for (List<String> part : parts(ids)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT request_id, attempt FROM invocation WHERE request_id"
                    + " IN (" + marks(part.size()) + ")")) {
                bind(ps, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Key(rs.getString(1), rs.getInt(2)));
                    }
                }
            }
        }
        return out;
    }

    private static Optional<Map.Entry<Key, Long>> progress(Connection c, String sourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_request_id, last_attempt, records_done"
                + " FROM store_import_progress WHERE source_id = ?")) {
            ps.setString(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Map.entry(new Key(rs.getString(1), rs.getInt(2)), rs.getLong(3)))
                        : Optional.empty();
            }
        }
    }

    private void saveProgress(Connection c, String sourceId, Key upTo, long done) throws SQLException {
        long nowNs = InvocationTable.nanos(target.now(c));
        try (PreparedStatement ps = c.prepareStatement("UPDATE store_import_progress SET last_request_id = ?,"
                + " last_attempt = ?, records_done = ?, updated_at_ns = ? WHERE source_id = ?")) {
            ps.setString(1, upTo.requestId());
            ps.setInt(2, upTo.attempt());
            ps.setLong(3, done);
            ps.setLong(4, nowNs);
            ps.setString(5, sourceId);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_import_progress (source_id, last_request_id,"
                + " last_attempt, records_done, updated_at_ns) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, sourceId);
            ps.setString(2, upTo.requestId());
            ps.setInt(3, upTo.attempt());
            ps.setLong(4, done);
            ps.setLong(5, nowNs);
            ps.executeUpdate();
        }
    }

    /**
     * Refuses the copy, unless forced, when the source holds less spend in a period than an earlier copy
     * of it took (it was restored from an older backup): adding the difference would subtract spend that
     * was really made from the shared period. Runs before anything is copied.
     */
    private void refuseLowerSpend(String sourceId) {
        List<Period> all = sourcePeriods();
        List<String> lower = new ArrayList<>();
        for (Period p : all) {
            BigDecimal before = readTarget("read what was imported",
                    c -> imported(c, sourceId, p.budget(), p.key()).orElse(BigDecimal.ZERO));
            if (p.spent().compareTo(before) < 0) {
                lower.add("budget " + p.budget() + " period " + p.key() + ": " + p.spent().toPlainString() + " USD now, "
                        + InvocationTable.decimal(before).toPlainString() + " USD copied before");
            }
        }
        if (!lower.isEmpty() && !options.force()) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "the store at " + source.describe() + " holds"
                    + " less spend than an earlier copy took from it (" + String.join("; ", lower) + "): it was"
                    + " restored from an older backup, or is not the store copied before. Nothing was copied."
                    + " Copy from the store that was copied before; --force copies anyway and keeps each"
                    + " such period's spend at " + target.describe() + " as it is (never lowered)");
        }
        lower.forEach(l -> LOG.warn("telemetry copy {} -> {}: kept the spend of {} (the source holds less; --force)",
                source.describe(), target.describe(), l));
    }

    private record Period(String budget, String key, BigDecimal spent) {
    }

    /** The source's budget periods with their spend. */
    private List<Period> sourcePeriods() {
        return readSource("read its budget periods", c -> {
            List<Period> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT budget, period_key, spent_usd FROM budget_period"
                    + " ORDER BY budget, period_key");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Period(rs.getString(1), rs.getString(2), InvocationTable.decimal(rs.getBigDecimal(3))));
                }
            }
            return out;
        });
    }

    /**
     * Adds each source period's spend not yet imported to the target's period; returns the total added
     * (or, in a dry run, that would be). {@code periods[0]} gets the number of the source's periods.
     */
    private BigDecimal copySpend(String sourceId, long[] periods) {
        List<Period> all = sourcePeriods();
        periods[0] = all.size();
        BigDecimal added = BigDecimal.ZERO;
        for (Period p : all) {
            BigDecimal delta;
            if (options.dryRun()) {
                delta = p.spent().subtract(readTarget("read what was imported",
                        c -> imported(c, sourceId, p.budget(), p.key()).orElse(BigDecimal.ZERO))).max(BigDecimal.ZERO);
            } else {
                delta = Transactions.run(target, "telemetry copy into " + target.describe() + ": could not add the spend"
                        + " of budget " + p.budget() + " (" + p.key() + ")", c -> {
                    // Database time, as every other timestamp of the target's ledger.
                    long nowNs = InvocationTable.nanos(target.now(c));
                    // The period's row lock orders this with every reserve, settle and other copy of the period.
                    JdbcBudgetLedger.lockPeriod(c, p.budget(), p.key(), nowNs);
                    Optional<BigDecimal> before = imported(c, sourceId, p.budget(), p.key());
                    BigDecimal d = p.spent().subtract(before.orElse(BigDecimal.ZERO));
                    if (d.signum() < 0) {
                        // Only with --force (refused above): keep the period and what was imported as they are,
                        // so that later spend at the source is added only once it passes what was copied.
                        return BigDecimal.ZERO;
                    }
                    if (d.signum() != 0) {
                        try (PreparedStatement ps = c.prepareStatement("UPDATE budget_period SET spent_usd = spent_usd"
                                + " + ? WHERE budget = ? AND period_key = ?")) {
                            ps.setBigDecimal(1, d);
                            ps.setString(2, p.budget());
                            ps.setString(3, p.key());
                            ps.executeUpdate();
                        }
                    }
                    String sql = before.isPresent()
                            ? "UPDATE store_import SET spent_usd = ?, copied_at_ns = ? WHERE source_id = ? AND budget = ?"
                            + " AND period_key = ?"
                            : "INSERT INTO store_import (spent_usd, copied_at_ns, source_id, budget, period_key)"
                            + " VALUES (?, ?, ?, ?, ?)";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setBigDecimal(1, p.spent());
                        ps.setLong(2, nowNs);
                        ps.setString(3, sourceId);
                        ps.setString(4, p.budget());
                        ps.setString(5, p.key());
                        ps.executeUpdate();
                    }
                    return d;
                });
            }
            added = added.add(delta);
        }
        return InvocationTable.decimal(added);
    }

    private static Optional<BigDecimal> imported(Connection c, String sourceId, String budget, String periodKey)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT spent_usd FROM store_import WHERE source_id = ?"
                + " AND budget = ? AND period_key = ?")) {
            ps.setString(1, sourceId);
            ps.setString(2, budget);
            ps.setString(3, periodKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBigDecimal(1)) : Optional.empty();
            }
        }
    }

    private static final String RESERVATION_COLUMNS = "reservation_id, budget, period_key, request_id, amount_usd,"
            + " state, actual_usd, created_at_ns, expires_at_ns, closed_at_ns, attempt, agent, tool, model";

    /**
     * Copies the closed reservations the target lacks (and the state of one closed again since: a settle
     * after an expiry charge), in batches in key order; returns how many were inserted (or would be).
     * Spend is not touched: it came with the periods.
     */
    private long copyReservations() {
        long inserted = 0;
        String after = null;
        while (true) {
            String from = after;
            List<Object[]> batch = readSource("read reservations", c -> {
                List<Object[]> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + RESERVATION_COLUMNS + " FROM budget_reservation"
                        + " WHERE state <> 'live'" + (from == null ? "" : " AND reservation_id > ?")
                        + " ORDER BY reservation_id LIMIT " + options.batchSize())) {
                    if (from != null) {
                        ps.setString(1, from);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Object[] row = new Object[14];
                            for (int i = 0; i < row.length; i++) {
                                row[i] = rs.getObject(i + 1);
                            }
                            out.add(row);
                        }
                    }
                }
                return out;
            });
            if (batch.isEmpty()) {
                return inserted;
            }
            after = (String) batch.get(batch.size() - 1)[0];
            Transactions.Work<Long> work = c -> {
                Map<String, String> states = new HashMap<>();
                List<String> ids = batch.stream().map(r -> (String) r[0]).toList();
                for (List<String> part : parts(ids)) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT reservation_id, state FROM budget_reservation"
                            + " WHERE reservation_id IN (" + marks(part.size()) + ")")) {
                        bind(ps, part);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                states.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                }
                long n = batch.stream().filter(r -> !states.containsKey((String) r[0])).count();
                if (options.dryRun()) {
                    return n;
                }
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO budget_reservation ("
                        + RESERVATION_COLUMNS + ") VALUES (" + marks(14) + ")");
                     PreparedStatement update = c.prepareStatement("UPDATE budget_reservation SET state = ?,"
                             + " actual_usd = ?, closed_at_ns = ? WHERE reservation_id = ?")) {
                    for (Object[] r : batch) {
                        String state = states.get((String) r[0]);
                        if (state == null) {
                            for (int i = 0; i < r.length; i++) {
                                insert.setObject(i + 1, r[i]);
                            }
                            insert.addBatch();
                        } else if (!state.equals(r[5])) {
                            update.setObject(1, r[5]);
                            update.setObject(2, r[6]);
                            update.setObject(3, r[9]);
                            update.setObject(4, r[0]);
                            update.addBatch();
                        }
                    }
                    insert.executeBatch();
                    update.executeBatch();
                }
                return n;
            };
            inserted += options.dryRun() ? readTarget("look up reservations", work)
                    : Transactions.run(target, "telemetry copy into " + target.describe()
                    + ": could not write reservations", work);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<List<String>> parts(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += IN_LIST) {
            out.add(ids.subList(i, Math.min(ids.size(), i + IN_LIST)));
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            ps.setString(i + 1, values.get(i));
        }
    }

    private static java.util.OptionalLong optLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(v);
    }

    private <T> T readSource(String what, Transactions.Work<T> q) {
        return read(source, "the source", what, q);
    }

    private <T> T readTarget(String what, Transactions.Work<T> q) {
        return read(target, "the target", what, q);
    }

    /** Runs {@code q} on a connection; once more on a new one when the server went away meanwhile. */
    private static <T> T read(JdbcDatabase db, String role, String what, Transactions.Work<T> q) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = db.connection()) {
                return q.run(c);
            } catch (SQLException e) {
                db.connectionFailed(e);
                if (attempt == 3 || !db.lost(e)) {
                    throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry copy: could not " + what + " at "
                            + role + " " + db.describe() + ": " + Sql.oneLine(e.getMessage()), e);
                }
            }
        }
    }

    /** The key of an invocation record. */
    private record Key(String requestId, int attempt) {
    }
}
