package io.llmservice.telemetry.h2.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * This build's migration scripts as Flyway records them once applied (version, description, type,
 * checksum), so that opening an up-to-date database can skip Flyway: starting Flyway to find that
 * there is nothing to do costs a few hundred milliseconds of class loading per process, a third of
 * a command-line call.
 *
 * <p>{@link #recordedIn} is deliberately narrow: it answers {@code true} only when the history holds
 * exactly these migrations, each successful and with the same checksum — the one state in which
 * Flyway's validate passes and its migrate does nothing. Anything else (a new or empty database,
 * a pending, failed, changed, unknown or newer migration, an unreadable table) answers {@code false},
 * and Flyway then runs and reports as before. Tests keep {@link #FILES} in step with the scripts
 * and the checksums in step with Flyway's own.
 *
 * <p>Immutable, thread-safe.
 */
final class SchemaScripts {
    /** Every migration script under {@code db/h2}, oldest first. */
    static final List<String> FILES = List.of("V1__invocations.sql", "V2__budget_ledger.sql", "V3__stats_chunks.sql",
            "V4__reservation_calls.sql");

    /** One applied migration as the history table holds it. */
    record Applied(String version, String description, String type, int checksum) {
        Applied {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(type, "type");
        }

        // Written out rather than generated: a record's own equals is linked through an invokedynamic
        // call site the first time it runs, which cost every open of the store ~15 ms of CPU.
        @Override
        public boolean equals(Object o) {
            return o instanceof Applied a && checksum == a.checksum && version.equals(a.version)
                    && description.equals(a.description) && type.equals(a.type);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, description, type, checksum);
        }
    }

    private SchemaScripts() {
    }

    /** What the history holds once every script of this build is applied. */
    static List<Applied> expected() {
        List<Applied> all = new ArrayList<>(FILES.size());
        for (String file : FILES) {
            int sep = file.indexOf("__");
            String version = file.substring(1, sep);
            String description = file.substring(sep + 2, file.length() - ".sql".length()).replace('_', ' ');
            all.add(new Applied(version, description, "SQL", checksum(file)));
        }
        return all;
    }

    /**
     * Whether the history table records exactly this build's migrations, all successful. Flyway's
     * own marker row (type {@code TABLE}, no version: "history table created") is not a migration.
     */
    static boolean recordedIn(Connection c) {
        List<Applied> applied = new ArrayList<>();
        // Asking first keeps a new database free of the failed query, which H2 would log to a .trace.db file.
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                     + " WHERE TABLE_SCHEMA = CURRENT_SCHEMA AND TABLE_NAME = '" + SchemaMigrator.HISTORY_TABLE + "'")) {
            if (!rs.next() || rs.getInt(1) == 0) {
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"description\", \"type\", \"checksum\", \"success\""
                     + " FROM \"" + SchemaMigrator.HISTORY_TABLE + "\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(3);
                if (version == null && "TABLE".equals(type)) {
                    continue;
                }
                String description = rs.getString(2);
                int checksum = rs.getInt(4);
                boolean noChecksum = rs.wasNull();
                if (version == null || description == null || type == null || noChecksum || !rs.getBoolean(5)) {
                    return false;
                }
                applied.add(new Applied(version, description, type, checksum));
            }
        } catch (SQLException e) {
            return false;   // not a history table we can read: Flyway decides
        }
        try {
            return applied.equals(expected());
        } catch (RuntimeException e) {
            return false;   // a script missing from a damaged jar: Flyway reports it
        }
    }

    /**
     * The checksum Flyway records for a script: a CRC32 over its lines read as UTF-8, each without
     * its line break and without a byte order mark (Flyway's {@code ChecksumCalculator}).
     */
    static int checksum(String file) {
        String resource = "/db/h2/" + file;
        CRC32 crc = new CRC32();
        try (InputStream in = SchemaScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                crc.update(withoutBom(line).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return (int) crc.getValue();
    }

    private static String withoutBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
