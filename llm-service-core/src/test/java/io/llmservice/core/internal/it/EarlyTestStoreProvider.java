package io.llmservice.core.internal.it;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code store: early-test}, registered only by {@code META-INF/services} of the tests: a store
 * that always "exists" (so a service opens it early) and counts its opens and closes.
 */
public final class EarlyTestStoreProvider implements TelemetryStoreProvider {
    public static final String TYPE = "early-test";
    public static final AtomicInteger OPENED = new AtomicInteger();
    public static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean exists(TelemetrySettings settings) {
        return true;
    }

    @Override
    public TelemetryStore open(TelemetrySettings settings, Clock clock) {
        OPENED.incrementAndGet();
        return new Counted(new InMemoryTelemetryStore());
    }

    /** Delegates to an in-memory store and counts its closes. */
    private record Counted(TelemetryStore store) implements TelemetryStore {
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
            CLOSED.incrementAndGet();
            store.close();
        }
    }
}
