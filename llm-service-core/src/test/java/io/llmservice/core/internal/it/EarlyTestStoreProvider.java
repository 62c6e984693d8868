package io.llmservice.core.internal.it;

import io.llmservice.config.TelemetrySettings;
import io.llmservice.core.internal.CloseCountingStore;
import io.llmservice.core.internal.telemetry.InMemoryTelemetryStore;
import io.llmservice.spi.TelemetryStore;
import io.llmservice.spi.TelemetryStoreProvider;

import java.time.Clock;
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
        return new CloseCountingStore(new InMemoryTelemetryStore(), CLOSED);
    }
}
