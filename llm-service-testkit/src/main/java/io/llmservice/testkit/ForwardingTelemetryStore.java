package io.llmservice.testkit;

import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.spi.BudgetLedger;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.StoreCheck;
import io.llmservice.spi.TelemetryStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A store that forwards every call to another; a test overrides the one part it changes (who
 * closes it, a ledger that fails or records, shared rate-limit buckets).
 *
 * <pre>{@code
 * TelemetryStore failingLedger = new ForwardingTelemetryStore(store) {
 *     @Override
 *     public BudgetLedger ledger() {
 *         return brokenLedger;
 *     }
 * };
 * }</pre>
 *
 * <p>As thread-safe as the store it forwards to.
 */
public class ForwardingTelemetryStore implements TelemetryStore {
    private final TelemetryStore delegate;

    public ForwardingTelemetryStore(TelemetryStore delegate) {
        this.delegate = delegate;
    }

    protected TelemetryStore delegate() {
        return delegate;
    }

    @Override
    public void record(InvocationRecord record) {
        delegate.record(record);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public List<InvocationRecord> findByRequest(String requestId) {
        return delegate.findByRequest(requestId);
    }

    @Override
    public BudgetLedger ledger() {
        return delegate.ledger();
    }

    @Override
    public Optional<RateLimitLedger> rateLimits() {
        return delegate.rateLimits();
    }

    @Override
    public StatsReport stats(StatsQuery query) {
        return delegate.stats(query);
    }

    @Override
    public void scanRollups(java.time.Instant from, java.time.Instant to,
                            java.util.function.Consumer<io.llmservice.spi.RollupRow> sink) {
        delegate.scanRollups(from, to, sink);
    }

    @Override
    public long deleteOlderThan(Instant cutoff) {
        return delegate.deleteOlderThan(cutoff);
    }

    @Override
    public StoreCheck check() {
        return delegate.check();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
