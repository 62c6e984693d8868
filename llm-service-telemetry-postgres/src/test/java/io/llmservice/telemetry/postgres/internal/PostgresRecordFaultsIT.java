package io.llmservice.telemetry.postgres.internal;

import io.llmservice.CostSource;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records PostgreSQL refuses, written by the real writer into a real PostgreSQL 14 in one batch with
 * unrelated records: a NUL in a text is stored as U+FFFD (PostgreSQL's TEXT cannot hold it), and a
 * record refused for another reason is the only one lost. The batch is made one by holding a lock
 * on the log while its records queue up behind a first record the writer is busy with.
 */
class PostgresRecordFaultsIT {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final PostgresServer pg = PostgresServer.shared();

    private static InvocationRecord.Builder record(String id) {
        return InvocationRecord.builder().requestId(id).attempt(1).startedAt(T0).agent("reviewer").tool("claude-code")
                .model("sonnet").outcome(Outcome.SUCCESS).costSource(CostSource.TOOL_REPORTED)
                .costUsd(new BigDecimal("0.01")).latency(Duration.ofMillis(5)).errorSummary("");
    }

    /** Records {@code blocker}, then {@code rest} while the log is locked, so that {@code rest} is one batch. */
    private void recordAsOneBatch(TelemetrySettings db, PostgresTelemetryStore store, InvocationRecord blocker,
                                  List<InvocationRecord> rest) throws Exception {
        String url = db.url().orElseThrow();
        try (Connection lock = pg.connectAsSuperuser(url.substring(url.lastIndexOf('/') + 1));
             Statement s = lock.createStatement()) {
            lock.setAutoCommit(false);
            s.execute("LOCK TABLE invocation IN SHARE ROW EXCLUSIVE MODE");
            store.record(blocker);
            Thread.sleep(300);   // the writer takes the blocker alone and waits for the lock
            rest.forEach(store::record);
            lock.commit();
        }
    }

    @Test
    void write_nulInPromptErrorAndLabel_storedAsReplacementCharacter_neighboursToo() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        try (PostgresTelemetryStore store = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            List<InvocationRecord> batch = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                batch.add(record("ok-" + i).build());
            }
            batch.add(10, record("nul").outcome(Outcome.FAILED).errorCode("LLM-032")
                    .errorSummary("exit 1; stderr tail: bad\u0000byte").promptText("Review\u0000 this")
                    .responseText("\u0000").label("ticket\u0000", "OPS-\u000042").build());

            recordAsOneBatch(db, store, record("blocker").build(), batch);
            store.flush();

            InvocationRecord nul = store.findByRequest("nul").get(0);
            assertThat(nul.errorSummary()).isEqualTo("exit 1; stderr tail: bad\uFFFDbyte");
            assertThat(nul.promptText()).contains("Review\uFFFD this");
            assertThat(nul.responseText()).contains("\uFFFD");
            assertThat(nul.labels()).containsExactlyEntriesOf(java.util.Map.of("ticket\uFFFD", "OPS-\uFFFD42"));
            for (int i = 0; i < 20; i++) {
                assertThat(store.findByRequest("ok-" + i)).as("ok-" + i).hasSize(1);
            }
            assertThat(StoreCopyIT.count(store, "invocation")).isEqualTo(22);
            assertThat(store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build())
                    .rows()).singleElement().satisfies(r -> assertThat(r.requests()).isEqualTo(22));
        }
    }

    @Test
    void write_oneRecordRefusedForAnotherReason_onlyItIsLost_reportedByFlush() throws Exception {
        TelemetrySettings db = TestDatabases.fresh(pg);
        try (PostgresTelemetryStore store = PostgresTelemetryStore.open(db, Clock.systemUTC())) {
            List<InvocationRecord> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                batch.add(record("ok-" + i).build());
            }
            // NUMERIC(30, 12) holds 18 digits before the point: this cost is a value the column cannot hold.
            batch.add(17, record("too-costly").costUsd(new BigDecimal("1e20")).build());

            recordAsOneBatch(db, store, record("blocker").build(), batch);

            assertThatThrownBy(store::flush).isInstanceOf(LlmServiceException.class)
                    .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.TELEMETRY_STORE))
                    .hasMessageStartingWith("1 telemetry record(s) could not be written to ")
                    .hasMessageContaining(" (request too-costly attempt 1): ")
                    .hasMessageContaining("(1 record(s) lost so far)");
            assertThat(store.findByRequest("too-costly")).isEmpty();
            for (int i = 0; i < 30; i++) {
                assertThat(store.findByRequest("ok-" + i)).as("ok-" + i).hasSize(1);
            }
            assertThat(StoreCopyIT.count(store, "invocation")).isEqualTo(31);
            assertThat(store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build())
                    .rows()).singleElement().satisfies(r -> assertThat(r.requests()).isEqualTo(31));
        }
    }
}
