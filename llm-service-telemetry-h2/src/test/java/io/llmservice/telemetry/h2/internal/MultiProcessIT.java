package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.BudgetStanding;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.testkit.FakeCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real processes sharing one telemetry path: a budget and a rate limit hold across them, and kill -9
 * loses nothing flushed.
 */
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
    void staleReservation_ofAKilledProcess_isChargedAtExpiry() throws Exception {
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
            // The killed process may have spent the money: at expiry the reservation counts as spent.
            BudgetStanding expired = store.ledger().standing("stale", "daily:test", later);
            assertThat(expired.reservedUsd()).isEqualByComparingTo("0");
            assertThat(expired.spentUsd()).isEqualByComparingTo("1");
            assertThat(expired.expiryChargedUsd()).isEqualByComparingTo("1");
            assertThat(store.ledger().reserve(new io.llmservice.spi.ReservationRequest("stale", "daily:test",
                    BigDecimal.ONE, true, BigDecimal.ONE, "next", later, later.plusSeconds(60))).granted()).isFalse();
        }
    }

    @Test
    void twoProcesses_sharingAStoreAndTenPerMinute_make20Calls_exactlyTenRun() throws Exception {
        FakeCli tool = FakeCli.builder().name("stand-in").stdout("{\"text\": \"ok\"}").build(dir);
        Path db = dir.resolve("limited");
        Path config = dir.resolve("llm-service.yaml");
        Files.writeString(config, """
                models:
                  small:
                    provider: acme
                    tier: economy
                    context_window: 32000
                    pricing: {input: 1, output: 2, cache_read: 0, cache_write: 0}
                tools:
                  stand-in:
                    type: cli
                    binary: "%s"
                    args: ["run", "--model", "{model}"]
                    models: {small: small-v1}
                    output: {format: json, text: $.text}
                    timeout: 30s
                agents:
                  worker:
                    tool: stand-in
                    model: small
                policies:
                  rate_limits:
                    - scope: {}
                      requests_per_minute: 10
                  telemetry: {store: h2, path: "%s"}
                """.formatted(tool.binary(), db));
        // Both service clocks stand still at one instant, but the shared buckets refill by the
        // database's clock (DatabaseClock): one permit per 6 s of real time comes back during the test.
        // So the bucket's 10 run whoever gets them, plus at most one per 6 s the calls took.
        String at = "2026-12-01T10:00:00Z";
        List<Process> children = new ArrayList<>();
        try {
            List<BufferedReader> outs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Process p = ChildJvm.start(dir.resolve("router-" + i + ".log"), "route", config.toString(), "10", at);
                children.add(p);
                outs.add(ChildJvm.stdout(p));
            }
            for (BufferedReader out : outs) {
                assertThat(out.readLine()).as("child logs: %s", logs()).isEqualTo("ready");
            }
            // Both services are open on the store before either calls.
            long go = System.nanoTime();
            for (Process p : children) {
                OutputStream in = p.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            int ran = 0;
            int limited = 0;
            for (int i = 0; i < 2; i++) {
                String last = outs.get(i).readLine();
                assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(children.get(i).exitValue()).as("exit of a child; logs: %s", logs()).isZero();
                assertThat(last).as("child logs: %s", logs()).matches("ran \\d+ limited \\d+");
                String[] words = last.split(" ");
                ran += Integer.parseInt(words[1]);
                limited += Integer.parseInt(words[3]);
            }

            long refilled = java.time.Duration.ofNanos(System.nanoTime() - go).toSeconds() / 6;
            assertThat(ran).isBetween(10, 10 + (int) refilled);
            assertThat(limited).isEqualTo(20 - ran);
            assertThat(tool.invocationCount()).isEqualTo(ran);
            try (H2TelemetryStore store = H2TelemetryStore.open(db, Clock.systemUTC());
                 Connection c = store.databaseForTests().connection();
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT outcome, COUNT(*) FROM invocation GROUP BY outcome")) {
                Map<String, Long> outcomes = new HashMap<>();
                while (rs.next()) {
                    outcomes.put(rs.getString(1), rs.getLong(2));
                }
                assertThat(outcomes).isEqualTo(Map.of("success", (long) ran, "rate_limited", (long) limited));
            }
        } finally {
            for (Process p : children) {
                ChildJvm.kill(p);
            }
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
