package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real processes sharing one telemetry path: a budget holds across them, and kill -9 loses nothing flushed. */
class MultiProcessIT {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Test
    void threeProcesses_hammerOneHardLimit_settledNeverExceedsLimitAndNothingLeaks() throws Exception {
        Path db = dir.resolve("shared");
        BigDecimal limit = new BigDecimal("0.50");
        BigDecimal amount = new BigDecimal("0.01");
        List<Process> children = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                children.add(ChildJvm.start(dir.resolve("child-" + i + ".log"), "hammer", db.toString(),
                        limit.toPlainString(), amount.toPlainString(), "40"));
            }
            int granted = 0;
            for (Process p : children) {
                String line;
                String last = null;
                try (BufferedReader out = ChildJvm.stdout(p)) {
                    while ((line = out.readLine()) != null) {
                        last = line;
                    }
                }
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("exit of a child; its log: %s", logs()).isZero();
                assertThat(last).startsWith("granted ");
                granted += Integer.parseInt(last.substring("granted ".length()));
            }

            try (H2TelemetryStore store = H2TelemetryStore.open(db, Clock.systemUTC())) {
                BudgetStanding s = store.ledger().standing("shared", "daily:test", Instant.now());
                assertThat(granted).isEqualTo(50);
                assertThat(s.spentUsd()).isEqualByComparingTo(limit);
                assertThat(s.reservedUsd()).isEqualByComparingTo(BigDecimal.ZERO);
                assertThat(store.ledger().liveReservations(Instant.now())).isZero();
            }
        } finally {
            for (Process p : children) {
                ChildJvm.kill(p);
            }
        }
    }

    @Test
    void kill9_whileWriting_everyFlushedRecordSurvives_andTheDatabaseOpensClean() throws Exception {
        Path db = dir.resolve("crash");
        Process child = ChildJvm.start(dir.resolve("writer.log"), "write", db.toString(), "w");
        long reported = 0;
        try (BufferedReader out = ChildJvm.stdout(child)) {
            String line;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reported < 3_000 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                reported = Long.parseLong(line.substring("flushed ".length()));
            }
            ChildJvm.kill(child);
        } finally {
            ChildJvm.kill(child);
        }
        assertThat(reported).as("flushed before the kill; child log: %s", logs()).isGreaterThanOrEqualTo(3_000);

        try (H2TelemetryStore store = H2TelemetryStore.open(db, Clock.systemUTC());
             Connection c = store.databaseForTests().connection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM invocation WHERE request_id LIKE 'w-%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isGreaterThanOrEqualTo(reported);
            for (long i : new long[]{0, reported / 2, reported - 1}) {
                List<InvocationRecord> found = store.findByRequest("w-" + i);
                assertThat(found).as("record w-%d", i).hasSize(1);
            }
            // The store still takes writes after the crash.
            store.record(ChildProcessMain.record("after-crash"));
            assertThat(store.findByRequest("after-crash")).hasSize(1);
        }
    }

    @Test
    void staleReservation_ofAKilledProcess_expires() throws Exception {
        Path db = dir.resolve("stale");
        Process child = ChildJvm.start(dir.resolve("reserver.log"), "reserve", db.toString(), "stale", "30");
        try (BufferedReader out = ChildJvm.stdout(child)) {
            assertThat(out.readLine()).as("child log: %s", logs()).isEqualTo("reserved");
        } finally {
            ChildJvm.kill(child);
        }
        try (H2TelemetryStore store = H2TelemetryStore.open(db, Clock.systemUTC())) {
            Instant now = Instant.now();
            assertThat(store.ledger().standing("stale", "daily:test", now).reservedUsd()).isEqualByComparingTo("1");
            Instant later = now.plusSeconds(31);
            assertThat(store.ledger().standing("stale", "daily:test", later).reservedUsd()).isEqualByComparingTo("0");
            assertThat(store.ledger().reserve(new io.llmservice.spi.ReservationRequest("stale", "daily:test",
                    BigDecimal.ONE, true, BigDecimal.ONE, "next", later, later.plusSeconds(60))).granted()).isTrue();
        }
    }

    private String logs() {
        try (var files = Files.list(dir)) {
            StringBuilder sb = new StringBuilder();
            for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                sb.append("\n--- ").append(p.getFileName()).append('\n').append(Files.readString(p));
            }
            return sb.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
