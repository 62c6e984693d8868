package io.llmservice.core.internal;

import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** How long {@link AvailabilityCache} trusts an answer, whichever ticker reading the caller brings. */
class AvailabilityCacheTest {
    private final AtomicInteger checks = new AtomicInteger();
    private final ManualTicker ticker = new ManualTicker();
    private final AvailabilityCache cache = new AvailabilityCache(Map.of("t", new CountingAdapter()), ticker);

    @Test
    void anAnswer_isReused_withinTheTtl_andCheckedAgainAfterIt() {
        cache.get("t", cache.now());
        ticker.advance(Duration.ofMillis(AvailabilityCache.TTL_MILLIS - 1));
        cache.get("t", cache.now());
        assertThat(checks.get()).isEqualTo(1);
        ticker.advance(Duration.ofMillis(1));
        cache.get("t", cache.now());
        assertThat(checks.get()).isEqualTo(2);
    }

    @Test
    void aReadingOlderThanTheEntry_reusesIt() {
        // A route that read the ticker before another route refreshed the entry.
        long before = cache.now();
        ticker.advance(Duration.ofMillis(5));
        cache.get("t", cache.now());
        cache.get("t", before);
        assertThat(checks.get()).isEqualTo(1);
    }

    private final class CountingAdapter implements ToolAdapter {
        @Override
        public Availability availability() {
            checks.incrementAndGet();
            return Availability.available("in-process");
        }

        @Override
        public ToolResult invoke(ToolInvocation invocation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
