package io.llmservice.telemetry.postgres.internal;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A tiny program for tests that run a "host" in another process (or network namespace): connects to
 * the JDBC URL in {@code args[0]} as {@code args[1]} with the password in the environment variable
 * {@code PGPROBE_PASSWORD} (never on the command line, where {@code ps} shows it) and prints the client
 * address the server saw ({@code inet_client_addr()}). Exit 0 on success; 2 with the SQLState and
 * message on standard error when the connection or the query fails.
 *
 * <pre>{@code
 * java -cp <test class path> io.llmservice.telemetry.postgres.internal.PgProbe jdbc:postgresql://10.77.3.1:5432/postgres postgres
 * }</pre>
 */
public final class PgProbe {
    private PgProbe() {
    }

    public static void main(String[] args) {
        String password = System.getenv().getOrDefault("PGPROBE_PASSWORD", "");
        try (Connection c = DriverManager.getConnection(args[0] + "?connectTimeout=5", args[1], password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select host(inet_client_addr())")) {
            rs.next();
            System.out.println(rs.getString(1));
        } catch (SQLException e) {
            System.err.println(e.getSQLState() + " " + e.getMessage());
            System.exit(2);
        }
    }
}
