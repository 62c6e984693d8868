package io.llmservice.telemetry.h2.internal;

import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store written at full speed while its daemon recycles itself again and again (it stops to
 * compact its grown data file, and the next write starts the next daemon): no record is lost and
 * none is written twice. The recycle threshold is lowered from 64 MB so that a few thousand records
 * cross it many times.
 */
class RecycleUnderWritesIT {
    private static final int RECORDS = Integer.getInteger("recycle.records", 12_000);
    @TempDir
    Path dir;

    @BeforeEach
    void lowerThreshold() {
        System.setProperty(StoreDaemon.RECYCLE_PROPERTY, Long.toString(3L * 1024 * 1024));
    }

    @AfterEach
    void restore() throws Exception {
        System.clearProperty(StoreDaemon.RECYCLE_PROPERTY);
        TestDaemons.stopAll(dir);
    }

    @Test
    void writesAcrossManyRecycles_everyRecordWrittenExactlyOnce() throws Exception {
        Path base = dir.resolve("telemetry");
        String text = "x".repeat(2_000);
        // Data that each recycle compacts and each new daemon reads through: a store of some size,
        // whose recycles take seconds, as in a store filled for real.
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            store.flush();
        }
        try (Connection c = TestDaemons.embedded(base); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE filler(id INT PRIMARY KEY, pad VARCHAR)");
            s.execute("INSERT INTO filler SELECT X, RANDOM_UUID() || REPEAT('p', 1000) FROM SYSTEM_RANGE(1, "
                    + Integer.getInteger("recycle.fillerRows", 40_000) + ")");
        }
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            for (int i = 0; i < RECORDS; i++) {
                InvocationRecord r = ChildProcessMain.record("req-" + i);
                store.record(r.toBuilder().promptText(text + i).build());
            }
            store.flush();
        }
        String log = Files.readString(new StoreFiles(base).log());
        long recycles = log.lines().filter(l -> l.contains("compacting it")).count();
        System.out.println("RecycleUnderWritesIT: " + recycles + " recycle(s) while writing " + RECORDS + " records");
        assertThat(recycles).as("the daemon recycled while the records were written").isGreaterThanOrEqualTo(3);
        try (Connection c = TestDaemons.embedded(base); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM invocation")) {
            rs.next();
            assertThat(rs.getLong(1)).as("records").isEqualTo(RECORDS);
            assertThat(rs.getLong(2)).as("distinct requests").isEqualTo(RECORDS);
        }
        assertThat(log).doesNotContain("fatal");
    }

    /**
     * The daemon before still holds the data file when the next one opens it (as while a stopping
     * daemon compacts and closes it): the new daemon does not report that as the store's end, the
     * launcher starts it again until the file is free.
     */
    @Test
    void fileStillHeldWhenTheNextDaemonOpensIt_openWaitsForIt_andNothingIsLost() throws Exception {
        Path base = dir.resolve("held");
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                store.record(ChildProcessMain.record("before-" + i));
            }
            store.flush();
        }
        Connection holder = TestDaemons.embedded(base); // holds the file as a daemon that has not let go yet
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(3_000);
                holder.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        release.start();
        long start = System.nanoTime();
        try (H2TelemetryStore store = H2TelemetryStore.open(base, Clock.systemUTC())) {
            assertThat(holder.isClosed()).as("opened only once the file was let go").isTrue();
            for (int i = 0; i < 10; i++) {
                store.record(ChildProcessMain.record("after-" + i));
            }
            store.flush();
        } finally {
            release.join();
        }
        System.out.printf("RecycleUnderWritesIT: opened %.1f s after the file was held%n",
                (System.nanoTime() - start) / 1e9);
        assertThat(Files.readString(new StoreFiles(base).log())).doesNotContain("fatal");
        try (Connection c = TestDaemons.embedded(base); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT request_id) FROM invocation")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(20);
            assertThat(rs.getLong(2)).isEqualTo(20);
        }
    }
}
