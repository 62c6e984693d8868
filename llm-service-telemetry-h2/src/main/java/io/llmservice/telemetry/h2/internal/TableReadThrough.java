package io.llmservice.telemetry.h2.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads tables through, every column of every row: H2 checks each page it reads, so a damaged page
 * shows up as an exception here rather than later, in the middle of a reservation. Used by the
 * daemon when it opens a store and by {@code telemetry check}. Stateless.
 */
final class TableReadThrough {
    private TableReadThrough() {
    }

    /** The store's own tables (schema PUBLIC), in name order. */
    static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT TABLE_NAME FROM"
                + " INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }

    /** Reads {@code table} through, counting the rows read in {@code rows[0]} (so a failure can say how far it got). */
    static void read(Connection c, String table, long[] rows) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                rows[0]++;
            }
        }
    }
}
