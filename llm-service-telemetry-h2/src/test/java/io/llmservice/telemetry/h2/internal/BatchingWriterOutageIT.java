package io.llmservice.telemetry.h2.internal;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.spi.StoreCheck;
import io.llmservice.telemetry.jdbc.internal.BatchingWriter;
import io.llmservice.telemetry.jdbc.internal.JdbcDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The log writer while its server is down, on a real H2 database behind a door the test opens and
 * shuts: connections are refused with SQL state 08001 (as PostgreSQL's driver refuses them during
 * a restart) and, when asked, a commit goes through but its answer is lost (08006).
 */
class BatchingWriterOutageIT {
    @TempDir
    Path dir;
    private TelemetryDatabase real;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger lostAnswers = new AtomicInteger();

    @AfterEach
    void close() {
        if (real != null) {
            real.close();
        }
    }

    @Test
    void serverDownLongerThanTheOldRetries_recordsAreKeptAndWrittenOnceWhenItIsBack() throws Exception {
        try (BatchingWriter writer = new BatchingWriter(database(), 1_000)) {
            down.set(true);
            for (int i = 0; i < 50; i++) {
                writer.accept(ChildProcessMain.record("down-" + i));
            }
            // The old writer gave a batch 5 attempts over ~3 s and then dropped it.
            Thread.sleep(5_000);
            lostAnswers.set(1); // the first commit after the restart loses its answer: the retry must not write twice
            down.set(false);
            writer.flush();
        }
        assertThat(lostAnswers).hasValue(0);
        assertThat(count("SELECT COUNT(*) FROM invocation")).isEqualTo(50);
        assertThat(count("SELECT COUNT(DISTINCT request_id) FROM invocation")).isEqualTo(50);
    }

    @Test
    void serverDownForTheWholeWindow_flushReportsTheLostRecords_namingTheStore() throws Exception {
        BatchingWriter writer = new BatchingWriter(database(), 1_000, Duration.ofSeconds(2));
        down.set(true);
        for (int i = 0; i < 5; i++) {
            writer.accept(ChildProcessMain.record("gone-" + i));
        }
        assertThatThrownBy(writer::flush).isInstanceOf(LlmServiceException.class)
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                .hasMessageContaining("record(s) could not be written to " + real.describe())
                .hasMessageContaining("5 record(s) lost so far");
        // The window is per outage: a batch after it fails at once instead of waiting the window again.
        long start = System.nanoTime();
        writer.accept(ChildProcessMain.record("later"));
        assertThatThrownBy(writer::flush).hasMessageContaining("1 telemetry record(s) could not be written");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        // Back up: writing resumes.
        down.set(false);
        writer.accept(ChildProcessMain.record("back"));
        writer.flush();
        writer.close();
        assertThat(count("SELECT COUNT(*) FROM invocation")).isEqualTo(1);
    }

    @Test
    void closeWhileTheServerStaysDown_waitsOnlyTheCloseWait_andReportsWhatIsLost() {
        BatchingWriter writer = new BatchingWriter(database(), 1_000, Duration.ofMinutes(2), Duration.ofSeconds(2));
        down.set(true);
        for (int i = 0; i < 3; i++) {
            writer.accept(ChildProcessMain.record("exit-" + i));
        }
        long start = System.nanoTime();
        // A one-shot CLI call during an outage: its exit waits seconds, not the 2-minute outage window.
        assertThatThrownBy(writer::close).isInstanceOf(LlmServiceException.class)
                .hasMessageContaining("could not be written to " + real.describe())
                .hasMessageContaining("3 record(s) lost in total");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    private long count(String sql) throws SQLException {
        try (Connection c = real.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JdbcDatabase database() {
        real = TelemetryDatabase.open(dir.resolve("telemetry"));
        return new JdbcDatabase() {
            @Override
            public Connection connection() throws SQLException {
                if (down.get()) {
                    throw new SQLException("Connection to 127.0.0.1:5432 refused (test: server down)", "08001");
                }
                return losingAnswers(real.connection());
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
    }

    private Connection losingAnswers(Connection c) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("commit") && lostAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new SQLException("Connection is broken: \"answer lost\"", "08006");
                    }
                    return result;
                });
    }
}
