package io.llmservice.core.internal;

import io.llmservice.spi.Availability;
import io.llmservice.spi.ToolAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers whether each tool is installed for {@value #TTL_MILLIS} ms, so {@code route()}
 * checks the file system at most once per tool in that window while a tool installed after
 * start-up is still noticed.
 */
final class AvailabilityCache {
    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityCache.class);
    static final long TTL_MILLIS = 30_000;

    private final Map<String, ToolAdapter> adapters;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(Availability availability, long checkedAtMillis) {
    }

    AvailabilityCache(Map<String, ToolAdapter> adapters, Clock clock) {
        this.adapters = adapters;
        this.clock = clock;
    }

    /** The clock's millis, as {@link #get} takes them. */
    long now() {
        return clock.millis();
    }

    /**
     * Whether {@code tool} is installed, as of {@code now} (the clock's millis, {@link #now()}): a
     * caller asking about several tools at once reads the clock once.
     */
    Availability get(String tool, long now) {
        Entry e = entries.get(tool);
        // Fresh within the TTL either way: an entry a little newer than `now` was refreshed by another
        // route that read the clock later; one far from `now` in either direction (the clock was set
        // back) is checked again.
        if (e != null && Math.abs(now - e.checkedAtMillis) < TTL_MILLIS) {
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
