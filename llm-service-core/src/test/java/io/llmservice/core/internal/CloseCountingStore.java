package io.llmservice.core.internal;

import io.llmservice.testkit.ForwardingTelemetryStore;
import io.llmservice.spi.TelemetryStore;

import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to a store and counts its closes in {@code closes}; for tests of who closes a store when. */
public final class CloseCountingStore extends ForwardingTelemetryStore {
    private final AtomicInteger closes;

    public CloseCountingStore(TelemetryStore store, AtomicInteger closes) {
        super(store);
        this.closes = closes;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        super.close();
    }
}
