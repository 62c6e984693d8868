package io.llmservice.examples;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.TelemetryStore;

import java.time.Instant;
import java.util.List;

/**
 * One telemetry store shared by the demo's services (each service closes the store it is given;
 * this wrapper ignores those closes so the next service can keep recording into it).
 */
final class InMemoryStore {
    private final TelemetryStore delegate;

    InMemoryStore() {
        // The "memory" store through the public SPI, exactly as `store: memory` selects it.
        delegate = java.util.ServiceLoader.load(io.llmservice.spi.TelemetryStoreProvider.class).stream()
                .map(java.util.ServiceLoader.Provider::get).filter(p -> p.type().equals("memory")).findFirst()
                .orElseThrow().open(io.llmservice.config.TelemetrySettings.builder().store("memory").build(), java.time.Clock.systemUTC());
    }

    TelemetryStore shared() {
        return new TelemetryStore() {
            public void record(InvocationRecord r) {
                delegate.record(r);
            }

            public void flush() {
                delegate.flush();
            }

            public List<InvocationRecord> findByRequest(String requestId) {
                return delegate.findByRequest(requestId);
            }

            public BudgetLedger ledger() {
                return delegate.ledger();
            }

            public StatsReport stats(StatsQuery query) {
                return delegate.stats(query);
            }

            public long deleteOlderThan(Instant cutoff) {
                return delegate.deleteOlderThan(cutoff);
            }

            public void close() {
                delegate.flush();
            }
        };
    }
}
