package io.llmservice.telemetry.h2.internal;

/**
 * When closing a store compacts its file: once the space that holds no live data passes both
 * {@link #MIN_WASTE_BYTES} and the live data's own size, i.e. the file is at least twice as big as
 * it needs to be and at least 1 MiB of it is waste. A small log is then compacted about every
 * dozen command-line calls, a large one rarely; either way the file stays within about twice its
 * data's size.
 *
 * <p>Stateless, thread-safe.
 */
final class Compaction {
    /** Waste below this is never worth a compaction. */
    static final long MIN_WASTE_BYTES = 1024 * 1024;
    /** How long one compaction may take (H2's own default for a close). */
    static final int MAX_MILLIS = 200;

    private Compaction() {
    }

    /**
     * The bytes of live data in a file of {@code size} bytes of which {@code fillRate} percent is
     * allocated to chunks and {@code chunksFillRate} percent of those chunks is live (H2's
     * {@code FileStore.getFillRate()} and {@code getChunksFillRate()}).
     */
    static long liveBytes(long size, int fillRate, int chunksFillRate) {
        return size * clamp(fillRate) / 100 * clamp(chunksFillRate) / 100;
    }

    /** Whether a file of {@code size} bytes holding {@code live} bytes of live data is worth compacting. */
    static boolean due(long size, long live) {
        long waste = size - live;
        return waste >= MIN_WASTE_BYTES && waste >= live;
    }

    private static long clamp(int percent) {
        return Math.max(0, Math.min(100, percent));
    }
}
