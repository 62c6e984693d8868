package io.llmservice.spi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreCopyOptionsTest {

    @Test
    void builder_defaults_realCopyRefusingLiveReservations() {
        StoreCopyOptions o = StoreCopyOptions.builder().build();

        assertThat(o.dryRun()).isFalse();
        assertThat(o.force()).isFalse();
        assertThat(o.batchSize()).isEqualTo(StoreCopyOptions.DEFAULT_BATCH_SIZE);
    }

    @Test
    void builder_batchSizeOutOfRange_namesFieldAndValue() {
        assertThatThrownBy(() -> StoreCopyOptions.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("StoreCopyOptions.batchSize must be in 1..100000, was 0");
        assertThatThrownBy(() -> StoreCopyOptions.builder().batchSize(100_001).build())
                .hasMessage("StoreCopyOptions.batchSize must be in 1..100000, was 100001");
    }

    @Test
    void progress_isTheOneGiven() {
        List<String> heard = new ArrayList<>();
        StoreCopyOptions o = StoreCopyOptions.builder().progress((done, total) -> heard.add(done + "/" + total)).build();

        o.progress().records(3, 9);

        assertThat(heard).containsExactly("3/9");
    }

    @Test
    void copyTo_storeWithoutSupport_saysWhatCanBeCopied() {
        TelemetryStore plain = new TelemetryStore() {
            public void record(InvocationRecord record) { }
            public void flush() { }
            public List<InvocationRecord> findByRequest(String requestId) { return List.of(); }
            public BudgetLedger ledger() { return null; }
            public io.llmservice.StatsReport stats(io.llmservice.StatsQuery query) { return null; }
            public long deleteOlderThan(java.time.Instant cutoff) { return 0; }
            public void close() { }
        };

        assertThatThrownBy(() -> plain.copyTo(plain, StoreCopyOptions.builder().build()))
                .isInstanceOf(io.llmservice.LlmServiceException.class)
                .hasMessageContaining("copy an 'h2' store into a 'postgres' one");
    }
}
