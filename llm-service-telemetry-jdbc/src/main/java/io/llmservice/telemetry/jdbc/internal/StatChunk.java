package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.spi.InvocationRecord;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packed stats form of a batch of invocation rows: one {@code invocation_stat_chunk} row per
 * written batch. Format (version 1): varint version, varint row count, varint dictionary size and
 * the dictionary's strings (agent, team, tool and model names of the batch; team {@code ""} for
 * none); then per row: started-at nanoseconds (8 bytes), varint attempt, a flag byte (bit 0:
 * succeeded), varint dictionary indexes of agent, team, tool and model, varint input, output,
 * cache-read and cache-write tokens (unknown = 0: stats sum known values), cost (unknown = 0) as
 * a zigzag varint of its unscaled value at scale 12 (flag bit 1 set: as a decimal string, for
 * costs beyond a long's range), varint latency nanoseconds and the request id. Version 2 adds,
 * after the request id, the shares of models other than the row's own (a sub-agent's model, from
 * the record's per-model breakdown): a varint count, then per share the model's dictionary index,
 * its four token counts and its cost encoded as the row's (flag byte bit 1: as a decimal string).
 * Both versions are read; version 2 is written.
 *
 * <p>Costs are rounded to 12 decimals half-up, as the {@code DECIMAL(30, 12)} log column stores them.
 * Immutable; {@link Reader} is not thread-safe.
 */
public final class StatChunk {
    public static final int COST_SCALE = 12;
    private static final int VERSION = 2;
    private static final int BACKFILL_BATCH = 2_048;
    public static final String INSERT = "INSERT INTO invocation_stat_chunk (first_started_at_ns, last_started_at_ns,"
            + " row_count, data) VALUES (?, ?, ?, ?)";

    private StatChunk() {
    }

    /** Inserts the chunk of {@code rows} (none when empty) in the caller's transaction. */
    public static void insert(Connection c, List<InvocationRecord> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (InvocationRecord r : rows) {
            long t = InvocationTable.nanos(r.startedAt());
            first = Math.min(first, t);
            last = Math.max(last, t);
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setLong(1, first);
            ps.setLong(2, last);
            ps.setInt(3, rows.size());
            ps.setBytes(4, encode(rows));
            ps.executeUpdate();
        }
    }

    public static byte[] encode(List<InvocationRecord> rows) {
        Map<String, Integer> dict = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (InvocationRecord r : rows) {
            for (String s : new String[]{r.agent(), r.team().orElse(""), r.tool(), r.model()}) {
                if (dict.putIfAbsent(s, names.size()) == null) {
                    names.add(s);
                }
            }
            for (ModelUsage m : r.modelUsage()) {
                if (dict.putIfAbsent(m.model(), names.size()) == null) {
                    names.add(m.model());
                }
            }
        }
        Out out = new Out(64 + rows.size() * 64);
        out.varint(VERSION);
        out.varint(rows.size());
        out.varint(names.size());
        for (String s : names) {
            out.string(s);
        }
        for (InvocationRecord r : rows) {
            out.fixedLong(InvocationTable.nanos(r.startedAt()));
            out.varint(r.attempt());
            BigDecimal cost = r.costUsd().orElse(BigDecimal.ZERO).setScale(COST_SCALE, RoundingMode.HALF_UP);
            boolean bigCost = cost.unscaledValue().bitLength() > 63;
            out.write((r.outcome() == Outcome.SUCCESS ? 1 : 0) | (bigCost ? 2 : 0));
            out.varint(dict.get(r.agent()));
            out.varint(dict.get(r.team().orElse("")));
            out.varint(dict.get(r.tool()));
            out.varint(dict.get(r.model()));
            out.varint(r.usage().inputTokens().orElse(0));
            out.varint(r.usage().outputTokens().orElse(0));
            out.varint(r.usage().cacheReadTokens().orElse(0));
            out.varint(r.usage().cacheWriteTokens().orElse(0));
            if (bigCost) {
                out.string(cost.toPlainString());
            } else {
                out.zigzag(cost.unscaledValue().longValue());
            }
            out.varint(r.latency().toNanos());
            out.string(r.requestId());
            List<ModelUsage> others = r.modelUsage().stream().filter(m -> !m.model().equals(r.model())).toList();
            out.varint(others.size());
            for (ModelUsage m : others) {
                out.varint(dict.get(m.model()));
                out.varint(m.usage().inputTokens().orElse(0));
                out.varint(m.usage().outputTokens().orElse(0));
                out.varint(m.usage().cacheReadTokens().orElse(0));
                out.varint(m.usage().cacheWriteTokens().orElse(0));
                out.cost(m.costUsd().orElse(BigDecimal.ZERO));
            }
        }
        return out.toByteArray();
    }

    /**
     * Packs the rows logged before chunks existed (schema v3 migration), once: the first process to
     * open the upgraded database does it in one transaction and clears the flag; others wait for
     * the flag row's lock and find it cleared.
     */
    public static void backfill(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            boolean pending;
            try (PreparedStatement ps = c.prepareStatement("SELECT pending FROM invocation_stat_backfill FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                pending = rs.next() && rs.getBoolean(1);
            }
            if (pending) {
                List<InvocationRecord> batch = new ArrayList<>(BACKFILL_BATCH);
                try (PreparedStatement ps = c.prepareStatement(InvocationTable.SELECT_ALL);
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.add(InvocationTable.fromRow(rs, Map.of()));
                        if (batch.size() == BACKFILL_BATCH) {
                            insert(c, batch);
                            batch.clear();
                        }
                    }
                }
                insert(c, batch);
                try (PreparedStatement ps = c.prepareStatement("UPDATE invocation_stat_backfill SET pending = FALSE")) {
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /**
     * Deletes the rows that started before {@code cutoffNs} from every chunk, in the caller's
     * transaction: whole chunks when all their rows are older, rewritten chunks when some are.
     */
    public static void deleteOlderThan(Connection c, long cutoffNs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM invocation_stat_chunk WHERE last_started_at_ns < ?")) {
            ps.setLong(1, cutoffNs);
            ps.executeUpdate();
        }
        try (PreparedStatement select = c.prepareStatement("SELECT chunk_id, data FROM invocation_stat_chunk"
                + " WHERE first_started_at_ns < ? FOR UPDATE");
             PreparedStatement update = c.prepareStatement("UPDATE invocation_stat_chunk SET first_started_at_ns = ?,"
                     + " last_started_at_ns = ?, row_count = ?, data = ? WHERE chunk_id = ?")) {
            select.setLong(1, cutoffNs);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Kept kept = keepFrom(rs.getBytes(2), cutoffNs);
                    update.setLong(1, kept.first());
                    update.setLong(2, kept.last());
                    update.setInt(3, kept.rows());
                    update.setBytes(4, kept.data());
                    update.setLong(5, rs.getLong(1));
                    update.addBatch();
                }
            }
            update.executeBatch();
        }
    }

    private record Kept(byte[] data, int rows, long first, long last) {
    }

    /** The chunk without its rows before {@code cutoffNs} (some remain: its last row is not older). */
    private static Kept keepFrom(byte[] data, long cutoffNs) {
        Reader r = new Reader(data);
        Out rows = new Out(data.length);
        int n = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int start = r.pos;
        while (r.next()) {
            if (r.startedAtNs >= cutoffNs) {
                rows.write(data, start, r.pos - start);
                n++;
                first = Math.min(first, r.startedAtNs);
                last = Math.max(last, r.startedAtNs);
            }
            start = r.pos;
        }
        Out out = new Out(data.length);
        out.varint(r.version);
        out.varint(n);
        out.varint(r.names.length);
        for (String s : r.names) {
            out.string(s);
        }
        out.write(rows.toByteArray(), 0, rows.size());
        return new Kept(out.toByteArray(), n, first, last);
    }

    /** Decodes one chunk's rows in order; the fields of the current row are read with the accessors. */
    static final class Reader {
        private final byte[] b;
        private int pos;
        private final int version;
        private final int rows;
        private final String[] names;
        private int row;
        long startedAtNs;
        int attempt;
        boolean succeeded;
        String agent;
        String team;
        String tool;
        String model;
        long inputTokens;
        long outputTokens;
        long cacheReadTokens;
        long cacheWriteTokens;
        /** The cost at scale 12, unless {@link #costBig} holds it (beyond a long's range). */
        long costUnscaled;
        BigDecimal costBig;
        long latencyNs;
        /** How many shares of other models the current row has; {@link #other(int)} reads them. */
        int others;
        private final List<Share> shares = new ArrayList<>();
        /** Start and length of the request id's UTF-8 bytes in {@link #bytes()}; decoded on demand. */
        int requestIdOffset;
        int requestIdLength;

        Reader(byte[] data) {
            this.b = data;
            version = (int) varint();
            if (version < 1 || version > VERSION) {
                throw new IllegalStateException("stats chunk version " + version + " is not known to this build");
            }
            rows = (int) varint();
            names = new String[(int) varint()];
            for (int i = 0; i < names.length; i++) {
                int n = (int) varint();
                names[i] = new String(b, pos, n, StandardCharsets.UTF_8);
                pos += n;
            }
        }

        int rows() {
            return rows;
        }

        /** Moves to the next row; false after the last. */
        boolean next() {
            if (row == rows) {
                return false;
            }
            row++;
            long t = 0;
            for (int i = 0; i < 8; i++) {
                t = (t << 8) | (b[pos++] & 0xFF);
            }
            startedAtNs = t;
            attempt = (int) varint();
            int flags = b[pos++];
            succeeded = (flags & 1) != 0;
            agent = names[(int) varint()];
            team = names[(int) varint()];
            tool = names[(int) varint()];
            model = names[(int) varint()];
            inputTokens = varint();
            outputTokens = varint();
            cacheReadTokens = varint();
            cacheWriteTokens = varint();
            if ((flags & 2) != 0) {
                int n = (int) varint();
                costBig = new BigDecimal(new String(b, pos, n, StandardCharsets.US_ASCII));
                pos += n;
                costUnscaled = 0;
            } else {
                long z = varint();
                costUnscaled = (z >>> 1) ^ -(z & 1);
                costBig = null;
            }
            latencyNs = varint();
            requestIdLength = (int) varint();
            requestIdOffset = pos;
            pos += requestIdLength;
            others = version >= 2 ? (int) varint() : 0;
            for (int i = 0; i < others; i++) {
                if (shares.size() == i) {
                    shares.add(new Share());
                }
                Share s = shares.get(i);
                s.model = names[(int) varint()];
                s.inputTokens = varint();
                s.outputTokens = varint();
                s.cacheReadTokens = varint();
                s.cacheWriteTokens = varint();
                int costFlag = b[pos++];
                if ((costFlag & 2) != 0) {
                    int n = (int) varint();
                    s.costBig = new BigDecimal(new String(b, pos, n, StandardCharsets.US_ASCII));
                    pos += n;
                    s.costUnscaled = 0;
                } else {
                    long z = varint();
                    s.costUnscaled = (z >>> 1) ^ -(z & 1);
                    s.costBig = null;
                }
            }
            return true;
        }

        /** The current row's {@code i}-th share of another model (0 ≤ i &lt; {@link #others}); reused per row. */
        Share other(int i) {
            return shares.get(i);
        }

        byte[] bytes() {
            return b;
        }

        /** FNV-1a of the request id's bytes: a cheap pre-check before decoding it. */
        long requestIdHash() {
            long h = 0xcbf29ce484222325L;
            for (int i = requestIdOffset, end = requestIdOffset + requestIdLength; i < end; i++) {
                h = (h ^ (b[i] & 0xFF)) * 0x100000001b3L;
            }
            return h;
        }

        String requestId() {
            return new String(b, requestIdOffset, requestIdLength, StandardCharsets.UTF_8);
        }

        private long varint() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
                shift += 7;
            }
        }
    }

    /** One share of a model other than the row's: its tokens and cost, as the row's are encoded. */
    static final class Share {
        String model;
        long inputTokens;
        long outputTokens;
        long cacheReadTokens;
        long cacheWriteTokens;
        long costUnscaled;
        BigDecimal costBig;
    }

    private static final class Out extends ByteArrayOutputStream {
        Out(int size) {
            super(size);
        }

        /** A flag byte (bit 1: as a decimal string) and the cost at scale 12, rounded half-up. */
        void cost(BigDecimal usd) {
            BigDecimal cost = usd.setScale(COST_SCALE, RoundingMode.HALF_UP);
            boolean big = cost.unscaledValue().bitLength() > 63;
            write(big ? 2 : 0);
            if (big) {
                string(cost.toPlainString());
            } else {
                zigzag(cost.unscaledValue().longValue());
            }
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void fixedLong(long v) {
            for (int i = 56; i >= 0; i -= 8) {
                write((int) (v >>> i) & 0xFF);
            }
        }

        void string(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            varint(u.length);
            write(u, 0, u.length);
        }
    }
}
