package io.llmservice.core.internal;

import io.llmservice.Ticker;
import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers whether each tool is installed for {@value #TTL_MILLIS} ms, so {@code route()}
 * checks the file system at most once per tool in that window while a tool installed after
 * start-up is still noticed. The TTL is an interval, so it is measured on the service's
 * {@link Ticker}: setting the wall clock neither keeps a stale answer nor drops a fresh one.
 */
final class AvailabilityCache {
    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityCache.class);
    static final long TTL_MILLIS = 30_000;
    private static final long TTL_NANOS = TimeUnit.MILLISECONDS.toNanos(TTL_MILLIS);

    private final Map<String, ToolAdapter> adapters;
    private final Ticker ticker;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Availability availability, long checkedAtNanos) {
    }

    AvailabilityCache(Map<String, ToolAdapter> adapters, Ticker ticker) {
        this.adapters = adapters;
        this.ticker = ticker;
    }

    /** The ticker's nanos, as {@link #get} takes them. */
    long now() {
        return ticker.read();
    }

    /**
     * Whether {@code tool} is installed, as of {@code now} (the ticker's nanos, {@link #now()}): a
     * caller asking about several tools at once reads the ticker once.
     */
    Availability get(String tool, long now) {
        Entry e = entries.get(tool);
        // An entry newer than `now` was refreshed by another route that read the ticker later: fresh.
        if (e != null && now - e.checkedAtNanos < TTL_NANOS) {
            return e.availability;
        }
        Availability fresh = check(tool);
        entries.put(tool, new Entry(fresh, now));
        return fresh;
    }

    private Availability check(String tool) {
        ToolAdapter adapter = adapters.get(tool);
        if (adapter == null) {
            return Availability.missing("no adapter for tool '" + tool + "'");
        }
        try {
            return adapter.availability();
        } catch (RuntimeException ex) {
            LOG.warn("availability check of tool {} failed: {}", tool, ex.toString());
            return Availability.missing("availability check failed: " + ex.getMessage());
        }
    }
}
