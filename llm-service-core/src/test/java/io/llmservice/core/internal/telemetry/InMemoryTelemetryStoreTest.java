package io.llmservice.core.internal.telemetry;

import io.llmservice.Outcome;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsRow;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryTelemetryStoreTest {
    private static InvocationRecord attempt(String request, int n, Outcome outcome) {
        return InvocationRecord.builder().requestId(request).attempt(n)
                .startedAt(Instant.parse("2026-12-01T10:00:00Z").plusSeconds(n)).agent("a").tool("x").model("m")
                .outcome(outcome).latency(Duration.ofMillis(10)).build();
    }

    @Test
    void stats_countRecordsDroppedForCapacity_andARetryAfterItsFirstAttemptWasDropped() {
        InMemoryTelemetryStore store = new InMemoryTelemetryStore(3);
        store.record(attempt("r1", 1, Outcome.FAILED));
        store.record(attempt("r2", 1, Outcome.SUCCESS));
        store.record(attempt("r3", 1, Outcome.SUCCESS));
        store.record(attempt("r1", 2, Outcome.SUCCESS));
        assertThat(store.dropped()).isEqualTo(1);
        assertThat(store.findByRequest("r1")).extracting(InvocationRecord::attempt).containsExactly(2);
        StatsRow row = store.stats(StatsQuery.builder().period(StatsPeriod.DAY).groupBy(StatsDimension.AGENT).build())
                .rows().get(0);
        // r1's retry still knows its first attempt, although that record was dropped from the log
        assertThat(row.requests()).isEqualTo(3);
        assertThat(row.succeeded()).isEqualTo(3);
        assertThat(row.attempts()).isEqualTo(4);
    }
}
