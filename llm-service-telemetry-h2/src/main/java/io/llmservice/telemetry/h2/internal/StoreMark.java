package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * Remembers, outside the data file, how far the store had got, so that a data file that lost
 * committed data is refused instead of read as an older or empty ledger.
 *
 * <p>Why it is needed: H2 writes each commit as a new chunk at some place in the file and, when
 * it opens a file whose newest chunks are damaged (truncated, overwritten), falls back to the
 * newest chunk it can read — by design, silently. An empty or half file can even open as a new,
 * empty database: every hard budget back at $0.
 *
 * <p>How: the table {@code store_mark} holds the store's random id and a sequence number. The
 * daemon raises the number, forces the data file to the disk ({@code CHECKPOINT SYNC}) and only
 * then writes the same id and number to {@code <path>.mark} (also forced). So the data file always
 * holds a number at least as high as the one in the mark file, unless it lost data written before
 * that sync — which is what the check at open refuses. The daemon syncs when it starts, every
 * couple of seconds while the store changes, and when it stops; a crash can lose at most the
 * last interval from what the check can vouch for, never data H2 itself committed.
 *
 * <p>Used by the daemon only, on its own connection.
 */
final class StoreMark {
    private final StoreFiles files;
    private final String storeId;

    private StoreMark(StoreFiles files, String storeId) {
        this.files = files;
        this.storeId = storeId;
    }

    /**
     * Compares the data with {@code <path>.mark} and returns the mark to advance, or refuses the
     * store.
     *
     * @param dataExisted whether the data file held data before this open; when it did not, an old
     *                    mark file belongs to a store the user moved away, and is replaced
     */
    static StoreMark check(Connection c, StoreFiles files, boolean dataExisted) throws SQLException {
        Optional<Row> row = read(c);
        if (dataExisted) {
            compare(row, files);
        }
        if (row.isPresent()) {
            return new StoreMark(files, row.get().storeId);
        }
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_mark (id, store_id, seq) VALUES (1, ?, 0)")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        return new StoreMark(files, id);
    }

    /**
     * Compares the data, opened read-only before anything has written to it, with {@code <path>.mark};
     * refuses the store when it is behind. A file without the table (a schema from before marks, or
     * H2 fell back to a chunk from before it) has no row.
     */
    static void verify(Connection readOnly, StoreFiles files) throws SQLException {
        Optional<Row> row;
        try {
            row = read(readOnly);
        } catch (SQLException e) {
            if (e.getErrorCode() != 42102) { // TABLE_OR_VIEW_NOT_FOUND
                throw e;
            }
            row = Optional.empty();
        }
        compare(row, files);
    }

    private static void compare(Optional<Row> row, StoreFiles files) {
        Optional<Properties> mark;
        try {
            mark = StoreFiles.read(files.mark());
        } catch (IOException e) {
            throw new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot read " + files.mark() + ": " + e, e);
        }
        if (mark.isPresent()) {
            String markId = mark.get().getProperty("store_id", "");
            long markSeq = parse(mark.get().getProperty("seq"));
            if (row.isEmpty()) {
                throw damaged(files, "it holds none of the data it had when last used (" + files.mark()
                        + " records sequence " + markSeq + "); it was truncated, overwritten or replaced");
            }
            if (!row.get().storeId.equals(markId)) {
                throw damaged(files, "it is not the store " + files.mark() + " belongs to (store id "
                        + row.get().storeId + ", expected " + markId + "); it was replaced by another file");
            }
            if (row.get().seq < markSeq) {
                throw damaged(files, "it is older than its last known state (sequence " + row.get().seq + " < "
                        + markSeq + " recorded in " + files.mark() + "); it was truncated or partly overwritten, and"
                        + " H2 fell back to an older part of the file");
            }
        }
    }

    /** Raises the sequence, makes it durable in the data file, then records it in the mark file. */
    long advance(Connection c) throws SQLException, IOException {
        long seq;
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE store_mark SET seq = seq + 1 WHERE id = 1");
            try (ResultSet rs = s.executeQuery("SELECT seq FROM store_mark WHERE id = 1")) {
                rs.next();
                seq = rs.getLong(1);
            }
            s.execute("CHECKPOINT SYNC");
        }
        Properties p = new Properties();
        p.setProperty("store_id", storeId);
        p.setProperty("seq", Long.toString(seq));
        p.setProperty("data", files.data().toString());
        StoreFiles.writeAtomically(files.mark(), p);
        return seq;
    }

    private record Row(String storeId, long seq) {
    }

    private static Optional<Row> read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT store_id, seq FROM store_mark WHERE id = 1")) {
            return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getLong(2))) : Optional.empty();
        }
    }

    private static long parse(String s) {
        try {
            return s == null ? Long.MAX_VALUE : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // an unreadable mark vouches for nothing the data could prove
        }
    }

    /** The refusal: what is wrong, that nothing was changed, and the two ways out. */
    static LlmServiceException damaged(StoreFiles files, String why) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry database " + files.data()
                + " is damaged and was not opened: " + why + ". Nothing was changed. Restore it from a backup (then"
                + " delete " + files.mark() + " to accept the restored state), or move " + files.data() + " aside to"
                + " start a new, empty store; `llm-service telemetry check` verifies a store");
    }
}
