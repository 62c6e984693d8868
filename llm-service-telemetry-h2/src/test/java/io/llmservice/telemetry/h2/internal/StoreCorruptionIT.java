package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.spi.ReservationOutcome;
import io.llmservice.spi.ReservationRequest;
import io.llmservice.spi.StoreCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A data file damaged while no daemon served it (truncated, overwritten in the middle or at the end)
 * is refused with an error naming it and the way out, and left as it was: never opened as an empty or
 * older ledger.
 */
class StoreCorruptionIT {
    private static final int FLUSHES = 20;
    private static final int PER_FLUSH = 200;
    private static final String BUDGET = "team";
    private static final String PERIOD = "daily:test";
    private static final BigDecimal SPEND = new BigDecimal("0.0125");
    private static final int SETTLED = FLUSHES / 2;

    @TempDir
    Path dir;

    @AfterEach
    void stopDaemons() throws Exception {
        TestDaemons.stopAll(dir);
    }

    @Test
    void open_truncatedToHalf_isRefusedNamingTheFileAndTheWayOut_andLeavesItUntouched() throws Exception {
        Path base = storeWithHistory("half", false);
        byte[] all = Files.readAllBytes(data(base));
        assertRefused(base, Arrays.copyOf(all, all.length / 2));
    }

    @Test
    void open_120KbOverwrittenInTheMiddle_isRefusedNamingTheFileAndTheWayOut_andLeavesItUntouched() throws Exception {
        Path base = storeWithHistory("middle", false);
        byte[] damaged = Files.readAllBytes(data(base));
        assertThat(damaged.length).as("data file size").isGreaterThan(240 * 1024);
        int length = 120 * 1024;
        overwrite(damaged, damaged.length / 2 - length / 2, length);
        assertRefused(base, damaged);
    }

    @Test
    void open_last32KbOverwritten_afterTheDaemonWasKilled_isRefusedNamingTheFileAndTheWayOut_andLeavesItUntouched()
            throws Exception {
        // Killed, the daemon does not compact the file at shutdown: its newest chunks, with the newest
        // records and the mark's sequence, are the last blocks of the file.
        Path base = storeWithHistory("end", true);
        byte[] damaged = Files.readAllBytes(data(base));
        int length = 32 * 1024;
        overwrite(damaged, damaged.length - length, length);
        assertRefused(base, damaged);
    }

    @Test
    void open_last32KbOverwritten_afterACleanStop_isRefused() throws Exception {
        // A stopped daemon compacts the file fully (SHUTDOWN COMPACT: the store is rewritten, its chunks
        // appended while it served are gone), so the last blocks hold live data and no older copy of
        // it: the file is refused rather than opened without them.
        Path base = storeWithHistory("compacted", false);
        byte[] damaged = Files.readAllBytes(data(base));
        int length = 32 * 1024;
        overwrite(damaged, damaged.length - length, length);
        assertRefused(base, damaged);
    }

    @Test
    void open_emptiedDataFile_isRefused_notStartedOverAsAnEmptyLedger() throws Exception {
        // Only a missing data file is a new store; an emptied one (a failed copy, `: > file`) is not.
        Path base = storeWithHistory("emptied", false);
        assertRefused(base, new byte[0]);
    }

    @Test
    void damagedFileMovedAside_nextOpenStartsANewStore_andReplacesTheStaleMark() throws Exception {
        Path base = storeWithHistory("aside", false);
        byte[] all = Files.readAllBytes(data(base));
        assertRefused(base, Arrays.copyOf(all, all.length / 2));
        String oldId = StoreFiles.read(new StoreFiles(base).mark()).orElseThrow().getProperty("store_id");

        Files.move(data(base), dir.resolve("aside.mv.db.damaged"));
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(store.ledger().standing(BUDGET, PERIOD, Instant.now()).spentUsd()).isEqualByComparingTo("0");
            store.record(ChildProcessMain.record("fresh-1"));
            store.flush();
        }
        TestDaemons.stopAll(dir);
        assertThat(StoreFiles.read(new StoreFiles(base).mark()).orElseThrow().getProperty("store_id"))
                .isNotEqualTo(oldId);
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(store.findByRequest("fresh-1")).hasSize(1);
        }
    }

    @Test
    void olderBackupRestored_isRefused_untilTheMarkFileIsDeleted_thenOpensWithTheBackupsData() throws Exception {
        Path base = storeWithHistory("restore", false);
        byte[] backup = Files.readAllBytes(data(base));
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.record(ChildProcessMain.record("after-backup"));
            store.flush();
        }
        TestDaemons.stopAll(dir);

        assertRefused(base, backup);

        Files.delete(new StoreFiles(base).mark());
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(store.ledger().standing(BUDGET, PERIOD, Instant.now()).spentUsd())
                    .isEqualByComparingTo(SPEND.multiply(BigDecimal.valueOf(SETTLED)));
            assertThat(store.findByRequest("r-0-0")).hasSize(1);
            assertThat(store.findByRequest("after-backup")).isEmpty();
        }
    }

    @Test
    void check_healthyStore_findsNothingWrong() throws Exception {
        Path base = storeWithHistory("healthy", false);
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            StoreCheck check = store.check();
            assertThat(check.ok()).as("findings: %s", check.findings()).isTrue();
            assertThat(check.findings()).contains("table invocation: " + FLUSHES * PER_FLUSH + " row(s) read");
            assertThat(check.findings()).anySatisfy(f -> assertThat(f).startsWith("ok: " + data(base)));
            assertThat(check.findings()).noneSatisfy(f -> assertThat(f).containsIgnoringCase("unreadable"));
        }
    }

    /**
     * A store of {@value #FLUSHES} flushes of {@value #PER_FLUSH} records (so the file has many chunks)
     * and {@value #SETTLED} settled reservations, its daemon stopped (so the mark is current).
     */
    private Path storeWithHistory(String name, boolean killDaemon) throws Exception {
        Path base = dir.resolve(name);
        Random random = new Random(42);
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            for (int f = 0; f < FLUSHES; f++) {
                for (int i = 0; i < PER_FLUSH; i++) {
                    store.record(withPrompt(ChildProcessMain.record("r-" + f + "-" + i), random));
                }
                store.flush();
                if (f % 2 == 0) {
                    Instant now = Instant.now();
                    ReservationOutcome o = store.ledger().reserve(new ReservationRequest(BUDGET, PERIOD,
                            BigDecimal.ONE, true, new BigDecimal("0.02"), "req-" + f, now, now.plusSeconds(600)));
                    assertThat(o.granted()).isTrue();
                    store.ledger().settle(o.reservationId().orElseThrow(), SPEND);
                }
            }
            assertWhole(store);
            if (killDaemon) {
                killAfterTheMarkCaughtUp(store, new StoreFiles(base));
            }
        }
        TestDaemons.stopAll(dir);
        return base;
    }

    /** Every record and the whole spend are there. */
    private static void assertWhole(H2TelemetryStore store) throws Exception {
        assertThat(store.ledger().standing(BUDGET, PERIOD, Instant.now()).spentUsd())
                .isEqualByComparingTo(SPEND.multiply(BigDecimal.valueOf(SETTLED)));
        try (java.sql.Connection c = store.databaseForTests().connection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(prompt_text) FROM invocation")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo((long) FLUSHES * PER_FLUSH);
            assertThat(rs.getLong(2)).isEqualTo((long) FLUSHES * PER_FLUSH);
        }
        assertThat(store.findByRequest("r-" + (FLUSHES - 1) + "-" + (PER_FLUSH - 1))).hasSize(1);
    }

    /**
     * Waits until the daemon has marked the last writes (it does every couple of seconds while the
     * store changes), then kills it with SIGKILL: the file keeps its newest chunks as written.
     */
    private static void killAfterTheMarkCaughtUp(H2TelemetryStore store, StoreFiles files) throws Exception {
        long before;
        try (java.sql.Connection c = store.databaseForTests().connection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT seq FROM store_mark")) {
            rs.next();
            before = rs.getLong(1); // raised (and synced) by the daemon after the writes above, then marked
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (Long.parseLong(StoreFiles.read(files.mark()).orElseThrow().getProperty("seq")) <= before) {
            assertThat(System.nanoTime()).as("the mark did not advance after the writes").isLessThan(deadline);
            Thread.sleep(100);
        }
        ProcessHandle daemon = ProcessHandle.of(DaemonEndpoint.read(files.endpoint()).orElseThrow().pid()).orElseThrow();
        daemon.destroyForcibly();
        daemon.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        while (DaemonLauncher.daemonAlive(files)) {
            Thread.sleep(50);
        }
    }

    private static io.llmservice.spi.InvocationRecord withPrompt(io.llmservice.spi.InvocationRecord r, Random random) {
        byte[] b = new byte[60];
        random.nextBytes(b);
        String prompt = java.util.HexFormat.of().formatHex(b);
        return new io.llmservice.spi.InvocationRecord(r.requestId(), r.attempt(), r.startedAt(), r.agent(), r.team(),
                r.tool(), r.model(), r.outcome(), r.exitCode(), r.usage(), r.costUsd(), r.costSource(),
                r.reservedUsd(), r.latency(), r.errorCode(), r.errorSummary(), Optional.of(prompt),
                r.responseText(), r.labels());
    }

    /** Writes {@code damaged} as the data file; opening must fail with the clear error and change nothing. */
    private void assertRefused(Path base, byte[] damaged) throws Exception {
        Path file = data(base);
        Files.write(file, damaged);
        assertThatThrownBy(() -> H2TelemetryStore.open(base, Clock.systemUTC()).close())
                .isInstanceOfSatisfying(LlmServiceException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                .hasMessageStartingWith("telemetry database " + file + " is damaged and was not opened: ")
                .hasMessageContainingAll("Nothing was changed", "Restore it from a backup", "move " + file + " aside")
                .hasMessageNotContaining("\n");
        assertThat(sha256(Files.readAllBytes(file))).as("the damaged file after the refused open")
                .isEqualTo(sha256(damaged));
    }

    private static void overwrite(byte[] bytes, int from, int length) {
        byte[] noise = new byte[length];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, bytes, from, length);
    }

    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private Path data(Path base) {
        return new StoreFiles(base).data();
    }
}
