package io.llmservice.core.internal;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to a store and counts its closes in {@code closes}; for tests of who closes a store when. */
public record CloseCountingStore(TelemetryStore store, AtomicInteger closes) implements TelemetryStore {
    @Override
    public void record(InvocationRecord record) {
        store.record(record);
    }

    @Override
    public void flush() {
        store.flush();
    }

    @Override
    public List<InvocationRecord> findByRequest(String requestId) {
        return store.findByRequest(requestId);
    }

    @Override
    public BudgetLedger ledger() {
        return store.ledger();
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        return store.stats(query);
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return store.deleteOlderThan(cutoff);
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        store.close();
    }
}
