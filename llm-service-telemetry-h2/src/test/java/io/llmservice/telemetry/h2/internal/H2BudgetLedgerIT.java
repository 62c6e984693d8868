package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.StoreCheck;
import io.llmservice.telemetry.jdbc.internal.JdbcBudgetLedger;
import io.llmservice.telemetry.jdbc.internal.JdbcDatabase;

import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 ledger on a real file database, when a commit succeeds but its answer is lost: the
 * connection breaks after the database committed (a daemon or serving process gone at that
 * instant). Every operation is retried, and a retry must not act twice.
 */
class H2BudgetLedgerIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String DAY = "daily:2026-12-01";

    @TempDir
    Path dir;
    private TelemetryDatabase db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /**
     * A ledger on the real database whose next {@code lostAnswers} commits succeed and then report a
     * broken connection (SQL state 08006), as a commit whose reply never arrived does.
     */
    private JdbcBudgetLedger ledgerLosing(AtomicInteger lostAnswers) {
        db = TelemetryDatabase.open(dir.resolve("telemetry"));
        TelemetryDatabase real = db;
        JdbcDatabase losing = new JdbcDatabase() {
            @Override
            public Connection connection() throws SQLException {
                return losingAnswers(real.connection(), lostAnswers);
            }

            @Override
            public void connectionFailed(SQLException e) {
                real.connectionFailed(e);
            }

            @Override
            public boolean lost(SQLException e) {
                return real.lost(e);
            }

            @Override
            public boolean passing(SQLException e) {
                return real.passing(e);
            }

            @Override
            public String describe() {
                return real.describe();
            }

            @Override
            public StoreCheck check(Connection c) throws SQLException {
                return real.check(c);
            }

            @Override
            public void close() {
            }
        };
        return new JdbcBudgetLedger(losing, Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC));
    }

    private static Connection losingAnswers(Connection real, AtomicInteger lostAnswers) {
        return (Connection) Proxy.newProxyInstance(H2BudgetLedgerIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("Connection is broken: \"answer lost\"", "08006", 90067);
                    }
                    return result;
                });
    }

    private static ReservationRequest request(String amount) {
        return ReservationRequest.builder("team", DAY).limitUsd(new BigDecimal("0.05")).amountUsd(new BigDecimal(amount))
                .call("req-1", 1, "reviewer", "claude", "sonnet").now(T0).expiresAt(T0.plusSeconds(600)).build();
    }

    @Test
    void reserve_commitAnswerLost_retryFindsItsRow_andReservesOnce() throws Exception {
        AtomicInteger lost = new AtomicInteger(1);
        JdbcBudgetLedger ledger = ledgerLosing(lost);

        ReservationOutcome outcome = ledger.reserve(request("0.03"));

        assertThat(lost).hasValue(0);
        assertThat(outcome.granted()).isTrue();
        assertThat(outcome.before().reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationRows()).isEqualTo(1);
        assertThat(ledger.standing("team", DAY, T0).reservedUsd()).isEqualByComparingTo("0.03");
        // the room a second reservation would have taken is still there
        assertThat(ledger.reserve(request("0.02")).granted()).isTrue();
    }

    @Test
    void settleAndRelease_commitAnswerLost_retryChargesOnce() {
        AtomicInteger lost = new AtomicInteger();
        JdbcBudgetLedger ledger = ledgerLosing(lost);
        String a = ledger.reserve(request("0.01")).reservationId().orElseThrow();
        String b = ledger.reserve(request("0.01")).reservationId().orElseThrow();

        lost.set(1);
        ledger.settle(a, new BigDecimal("0.02"));
        lost.set(1);
        ledger.release(b);

        assertThat(lost).hasValue(0);
        BudgetStanding s = ledger.standing("team", DAY, T0);
        assertThat(s.spentUsd()).isEqualByComparingTo("0.02");
        assertThat(s.reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void expiryCharge_commitAnswerLost_chargedOnce() {
        AtomicInteger lost = new AtomicInteger();
        JdbcBudgetLedger ledger = ledgerLosing(lost);
        ledger.reserve(ReservationRequest.builder("team", DAY).limitUsd(BigDecimal.ONE).amountUsd(new BigDecimal("0.04"))
                .call("dead", 1, "reviewer", "claude", "sonnet").now(T0).expiresAt(T0.plusSeconds(60)).build());

        lost.set(1);
        BudgetStanding s = ledger.standing("team", DAY, T0.plusSeconds(61));

        assertThat(lost).hasValue(0);
        assertThat(s.spentUsd()).isEqualByComparingTo("0.04");
        assertThat(s.expiryCharges()).isEqualTo(1);
        assertThat(ledger.standing("team", DAY, T0.plusSeconds(62)).spentUsd()).isEqualByComparingTo("0.04");
    }

    private long reservationRows() throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM budget_reservation");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
