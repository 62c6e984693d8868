package io.llmservice.telemetry.postgres.internal;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.StoreCheck;
import io.llmservice.telemetry.jdbc.internal.JdbcBudgetLedger;
import io.llmservice.telemetry.jdbc.internal.JdbcDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger on a real PostgreSQL 14, when a commit succeeds but its answer is lost (the connection
 * breaks after the server committed: a network cut or a server restart at that instant): every
 * operation is retried, and a retry must not act twice — a reservation is found again by its id. And
 * two pools (two hosts) reserving in one hard budget at once never pass its limit.
 */
class PostgresBudgetLedgerIT {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final String DAY = "daily:2026-12-01";

    private final TelemetrySettings settings = TestDatabases.fresh(PostgresServer.shared());
    private final List<PostgresTelemetryStore> stores = new ArrayList<>();

    @AfterEach
    void close() {
        stores.forEach(PostgresTelemetryStore::close);
    }

    private PostgresTelemetryStore open() {
        PostgresTelemetryStore s = PostgresTelemetryStore.open(settings, Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC));
        stores.add(s);
        return s;
    }

    /**
     * A ledger on the real database whose next {@code lostAnswers} commits succeed and then report a
     * broken connection (SQL state 08006, as the PostgreSQL driver does when the socket breaks).
     */
    private JdbcBudgetLedger ledgerLosing(AtomicInteger lostAnswers) {
        PostgresDatabase real = open().databaseForTests();
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
        return (Connection) Proxy.newProxyInstance(PostgresBudgetLedgerIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
                    }
                    return result;
                });
    }

    private static ReservationRequest request(String amount) {
        return ReservationRequest.builder("team", DAY).limitUsd(new BigDecimal("0.05")).amountUsd(new BigDecimal(amount))
                .call("req-1", 1, "reviewer", "claude", "sonnet").now(T0).expiresAt(T0.plusSeconds(600)).build();
    }

    @Test
    void reserve_commitAnswerLost_retryFindsItsRowById_andReservesOnce() throws Exception {
        AtomicInteger lost = new AtomicInteger(1);
        JdbcBudgetLedger ledger = ledgerLosing(lost);

        ReservationOutcome outcome = ledger.reserve(request("0.03"));

        assertThat(lost).as("the lost answer happened").hasValue(0);
        assertThat(outcome.granted()).isTrue();
        assertThat(outcome.before().reservedUsd()).isEqualByComparingTo("0");
        assertThat(reservationRows()).isEqualTo(1);
        assertThat(ledger.standing("team", DAY, T0).reservedUsd()).isEqualByComparingTo("0.03");
        // the room a second reservation would have taken is still there
        assertThat(ledger.reserve(request("0.02")).granted()).isTrue();
        assertThat(ledger.reserve(request("0.01")).granted()).as("the limit holds").isFalse();
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

    /**
     * Two stores (two pools, as two hosts have) and 8 threads reserve $0.01 at once in a $1.00 hard budget
     * until refused, settling every other one at its reserved cost and releasing the rest: the period
     * row's lock serialises them, so the spend never passes the limit and is exactly the sum of the settles.
     */
    @Test
    void concurrentReservesFromTwoPools_neverPassTheLimit_andSpendIsTheSumOfSettles() throws Exception {
        JdbcBudgetLedger[] ledgers = {open().ledger(), open().ledger()};
        BigDecimal limit = new BigDecimal("1.00");
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger settled = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JdbcBudgetLedger ledger = ledgers[t % 2];
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; ; i++) {
                        ReservationOutcome o = ledger.reserve(ReservationRequest.builder("team", DAY).limitUsd(limit)
                                .amountUsd(new BigDecimal("0.01")).call("r-" + thread + "-" + i, 1, "a", "claude", "sonnet")
                                .now(T0).expiresAt(T0.plusSeconds(600)).build());
                        if (!o.granted()) {
                            return null;
                        }
                        granted.incrementAndGet();
                        if (i % 2 == 0) {
                            ledger.release(o.reservationId().orElseThrow());
                        } else {
                            settled.incrementAndGet();
                            ledger.settle(o.reservationId().orElseThrow(), new BigDecimal("0.01"));
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        BudgetStanding s = ledgers[0].standing("team", DAY, T0);
        assertThat(s.spentUsd()).isEqualByComparingTo(new BigDecimal("0.01").multiply(BigDecimal.valueOf(settled.get())));
        assertThat(s.reservedUsd()).isEqualByComparingTo("0");
        assertThat(ledgers[0].liveReservations(T0)).isZero();
        assertThat(s.spentUsd()).isLessThanOrEqualTo(limit);
        assertThat(granted.get()).isGreaterThan(50);
    }

    /**
     * A host that stalls while holding a budget's period row (here a session that locked it and never
     * ends its transaction): the others' reserve fails after its retries, each lock wait bounded by
     * connect_timeout, naming the store; once the lock is gone, reserving works again. Without a lock
     * timeout it would wait for good (the preemptive timeout fails the test instead of hanging).
     */
    @Test
    void periodRowLockedByAStalledHost_reserveFailsClearly_thenWorksOnceReleased() throws Exception {
        TelemetrySettings quick = settings.toBuilder().connectTimeout(java.time.Duration.ofMillis(500)).build();
        PostgresTelemetryStore store = PostgresTelemetryStore.open(quick, Clock.fixed(T0, ZoneOffset.UTC));
        stores.add(store);
        JdbcBudgetLedger ledger = store.ledger();
        assertThat(ledger.reserve(request("0.01")).granted()).isTrue();
        try (Connection stalled = PostgresServer.shared().connectAsSuperuser(settings.user().orElseThrow());
             Statement s = stalled.createStatement()) {
            stalled.setAutoCommit(false);
            s.execute("SELECT * FROM budget_period FOR UPDATE");
            try (Connection c = store.databaseForTests().connection(); Statement show = c.createStatement();
                 ResultSet rs = show.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1min");
            }

            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.reserve(request("0.01")))
                            .isInstanceOf(io.llmservice.LlmServiceException.class)
                            .hasMessageStartingWith("budget ledger in " + settings.url().orElseThrow() + " (user "
                                    + settings.user().orElseThrow() + "): could not reserve in budget team: ")
                            .hasMessageContaining("lock timeout"));
            stalled.rollback();
        }
        assertThat(ledger.reserve(request("0.01")).granted()).isTrue();
        assertThat(ledger.standing("team", DAY, T0).reservedUsd()).isEqualByComparingTo("0.02");
    }

    private long reservationRows() throws SQLException {
        try (Connection c = stores.get(0).databaseForTests().connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM budget_reservation");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
