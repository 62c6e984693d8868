package io.llmservice.telemetry.jdbc.internal;

import io.llmservice.CostSource;
import io.llmservice.ModelUsage;
import io.llmservice.Outcome;
import io.llmservice.Usage;
import io.llmservice.spi.InvocationRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatChunkTest {
    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    private static InvocationRecord.Builder record(String id) {
        return InvocationRecord.builder().requestId(id).startedAt(T).agent("a").tool("claude-code")
                .model("claude-sonnet-4-5").outcome(Outcome.SUCCESS).usage(Usage.of(600, 50, 5, 0))
                .costUsd(new BigDecimal("0.0019505")).costSource(CostSource.TOOL_REPORTED)
                .latency(Duration.ofMillis(900));
    }

    @Test
    void format2_carriesTheSharesOfOtherModels_notTheRowsOwn() {
        byte[] chunk = StatChunk.encode(List.of(record("r1").modelUsage(List.of(
                ModelUsage.of("claude-sonnet-4-5", Usage.of(400, 30, 0, 0), new BigDecimal("0.00165")),
                ModelUsage.of("claude-haiku-4-5", Usage.of(200, 20, 5, 0), new BigDecimal("0.0003005")))).build(),
                record("r2").build()));

        StatChunk.Reader r = new StatChunk.Reader(chunk);
        assertThat(r.next()).isTrue();
        assertThat(r.inputTokens).as("the row keeps its totals").isEqualTo(600);
        assertThat(r.others).isEqualTo(1);
        StatChunk.Share haiku = r.other(0);
        assertThat(haiku.model).isEqualTo("claude-haiku-4-5");
        assertThat(List.of(haiku.inputTokens, haiku.outputTokens, haiku.cacheReadTokens, haiku.cacheWriteTokens))
                .containsExactly(200L, 20L, 5L, 0L);
        assertThat(BigDecimal.valueOf(haiku.costUnscaled, StatChunk.COST_SCALE)).isEqualByComparingTo("0.0003005");
        assertThat(r.requestId()).isEqualTo("r1");
        assertThat(r.next()).isTrue();
        assertThat(r.others).isZero();
        assertThat(r.requestId()).isEqualTo("r2");
        assertThat(r.next()).isFalse();
    }

    @Test
    void format1_writtenBeforeVersion8_isStillRead() {
        // Format 1 is format 2 without the trailing share count of each row: a row without shares
        // ends with a 0 byte after its request id, so drop it and write version 1.
        byte[] v2 = StatChunk.encode(List.of(record("r1").build()));
        assertThat(v2[0]).isEqualTo((byte) 2);
        assertThat(v2[v2.length - 1]).isEqualTo((byte) 0);
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        v1.write(1);
        v1.write(v2, 1, v2.length - 2);

        StatChunk.Reader r = new StatChunk.Reader(v1.toByteArray());
        assertThat(r.next()).isTrue();
        assertThat(r.requestId()).isEqualTo("r1");
        assertThat(r.inputTokens).isEqualTo(600);
        assertThat(r.others).isZero();
        assertThat(r.next()).isFalse();
    }
}
