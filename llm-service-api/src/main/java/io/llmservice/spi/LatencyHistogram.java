package io.llmservice.spi;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Latencies counted in fixed log-scale buckets: the one percentile implementation of llm-service.
 * Every store keeps one per rollup row ({@link RollupRow#latency()}), adds them up for a report and
 * reads p50/p95 from the sum, so memory, H2 and PostgreSQL give the same numbers.
 *
 * <p><b>Buckets.</b> Bucket 0 holds exactly 0 ns. Bucket {@code i >= 1} holds the latencies
 * {@code v} (in nanoseconds) with {@code 2^((i-1)/16) <= v < 2^(i/16)}: each bucket is
 * {@code 2^(1/16)}, about 4.4 %, wider than the one before. 16 buckets per doubling cover 1 ns to
 * 292 years ({@link Long#MAX_VALUE} ns) in {@value #BUCKETS} buckets; a longer latency is counted
 * as 292 years. A bucket reports its geometric middle {@code 2^((i-0.5)/16)} ns, rounded to the
 * nanosecond.
 *
 * <p><b>How far off.</b> {@link #percentile} picks the bucket holding the value a nearest-rank
 * percentile of the raw latencies would give (the value at rank {@code ceil(p/100 × n)}, see
 * {@link #rank}) and reports its middle, so it differs from that exact value by at most
 * {@value #MAX_RELATIVE_ERROR_PERCENT} % ({@code 2^(1/32) - 1}, plus at most half a nanosecond of
 * rounding): a 10 s p95 is reported between 9.79 s and 10.22 s. Counts are exact.
 *
 * <p><b>Encoding.</b> {@link #toBytes()} is sparse and versioned, for a {@code VARBINARY} or
 * {@code BYTEA} column: a version byte ({@code 1}), then for each non-empty bucket in ascending order
 * the gap to the previous bucket index and the count, both unsigned LEB128 varints. An empty
 * histogram is one byte; a typical row (a handful of buckets) is under 20. {@link #fromBytes}
 * refuses anything else — an unknown version, a truncated varint, a bucket out of range, a zero
 * count, a count overflow — with {@link ErrorCode#TELEMETRY_STORE}.
 *
 * <pre>{@code
 * LatencyHistogram h = LatencyHistogram.builder()
 *         .record(Duration.ofMillis(850)).record(Duration.ofMillis(2100))
 *         .build();
 * LatencyHistogram both = h.plus(LatencyHistogram.of(Duration.ofSeconds(3)));
 * Duration p95 = both.percentile(95);                 // about 3 s, within 2.2 %
 * byte[] column = both.toBytes();
 * LatencyHistogram back = LatencyHistogram.fromBytes(column);   // equals(both)
 * }</pre>
 *
 * <p><b>Why not HdrHistogram.</b> It would be a dependency of this API module, which has none;
 * its counts array is dense (tens of KB per histogram at 2 significant digits over 1 ns to hours),
 * where a rollup row holds a handful of buckets; and its percentile reports a bucket's upper end
 * and interpolates ranks its own way, where stats are defined as nearest rank. A fixed bucket
 * layout is also one that any SQL or later version can read without the library.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe.
 */
public final class LatencyHistogram {
    /** How many buckets there are: 0 ns, then 16 per doubling up to {@link Long#MAX_VALUE} ns. */
    public static final int BUCKETS = 1 + 16 * 63;
    /** The largest relative error of a reported percentile, in percent (2^(1/32) - 1 ≈ 2.19 %). */
    public static final double MAX_RELATIVE_ERROR_PERCENT = 2.2;
    /** The version byte of {@link #toBytes()}. */
    public static final int ENCODING_VERSION = 1;

    private static final int PER_DOUBLING = 16;
    /** {@code 2^(k/16)} for k = 0..16, StrictMath so that every JVM buckets alike. */
    private static final double[] STEP = new double[PER_DOUBLING + 1];
    private static final LatencyHistogram EMPTY = new LatencyHistogram(new int[0], new long[0], 0);

    static {
        for (int k = 0; k <= PER_DOUBLING; k++) {
            STEP[k] = StrictMath.pow(2, k / (double) PER_DOUBLING);
        }
    }

    /** Non-empty bucket indexes, ascending, and their counts. */
    private final int[] buckets;
    private final long[] counts;
    private final long total;

    private LatencyHistogram(int[] buckets, long[] counts, long total) {
        this.buckets = buckets;
        this.counts = counts;
        this.total = total;
    }

    /** The histogram of no latency. */
    public static LatencyHistogram empty() {
        return EMPTY;
    }

    /** The histogram of one latency. */
    public static LatencyHistogram of(Duration latency) {
        return new LatencyHistogram(new int[] {bucketOf(latency)}, new long[] {1}, 1);
    }

    /** A builder holding no latency. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The bucket a latency falls in, 0 to {@code BUCKETS - 1}.
     *
     * @throws IllegalArgumentException when the latency is negative
     */
    public static int bucketOf(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("a latency must be >= 0, was " + latency);
        }
        long nanos = latency.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : latency.toNanos();
        if (nanos == 0) {
            return 0;
        }
        int doubling = 63 - Long.numberOfLeadingZeros(nanos);
        double v = nanos;
        int k = 0;
        while (k + 1 < PER_DOUBLING && v >= Math.scalb(STEP[k + 1], doubling)) {
            k++;
        }
        return 1 + PER_DOUBLING * doubling + k;
    }

    /** The value a bucket reports: its geometric middle, rounded to the nanosecond (0 for bucket 0). */
    public static Duration valueOf(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("a bucket is 0 to " + (BUCKETS - 1) + ", was " + bucket);
        }
        if (bucket == 0) {
            return Duration.ZERO;
        }
        int doubling = (bucket - 1) / PER_DOUBLING;
        int k = (bucket - 1) % PER_DOUBLING;
        double middle = Math.scalb(Math.sqrt(STEP[k] * STEP[k + 1]), doubling);
        return Duration.ofNanos(middle >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(middle));
    }

    /**
     * The nearest rank of a percentile among {@code count} values: {@code ceil(p/100 × count)}, at
     * least 1, computed exactly in decimal (so p95 of 20 values is rank 19, not 20 by a rounding
     * error). The one definition of a percentile's rank in llm-service: {@link #percentile} uses it,
     * and so does anything that picks an exact value from a sorted list (the budget's reservation
     * from recent costs).
     *
     * @throws IllegalArgumentException when {@code p} is not in (0, 100] or {@code count < 1}
     */
    public static long rank(double p, long count) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], was " + p);
        }
        if (count < 1) {
            throw new IllegalArgumentException("a percentile needs at least one value, count was " + count);
        }
        BigDecimal exact = BigDecimal.valueOf(p).multiply(BigDecimal.valueOf(count))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING);
        return Math.max(1, exact.longValueExact());
    }

    /** How many latencies were counted. */
    public long count() {
        return total;
    }

    /** True when no latency was counted. */
    public boolean isEmpty() {
        return total == 0;
    }

    /**
     * The nearest-rank percentile ({@link #rank}) of the counted latencies, as its bucket's middle:
     * within {@value #MAX_RELATIVE_ERROR_PERCENT} % of the exact one. {@link Duration#ZERO} when empty.
     *
     * @param p the percentile, in (0, 100]: 50 for the median, 95 for p95
     */
    public Duration percentile(double p) {
        if (total == 0) {
            rank(p, 1);
            return Duration.ZERO;
        }
        long rank = rank(p, total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return valueOf(buckets[i]);
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }

    /** The sum of this histogram and another: every bucket's counts added. */
    public LatencyHistogram plus(LatencyHistogram other) {
        if (other.total == 0) {
            return this;
        }
        if (total == 0) {
            return other;
        }
        // A merge of two short sorted lists: rows are merged once per record, so no dense array here.
        int[] b = new int[buckets.length + other.buckets.length];
        long[] c = new long[b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < buckets.length || j < other.buckets.length) {
            int mine = i < buckets.length ? buckets[i] : Integer.MAX_VALUE;
            int theirs = j < other.buckets.length ? other.buckets[j] : Integer.MAX_VALUE;
            int bucket = Math.min(mine, theirs);
            long count = 0;
            if (mine == bucket) {
                count += counts[i++];
            }
            if (theirs == bucket) {
                count = Math.addExact(count, other.counts[j++]);
            }
            b[n] = bucket;
            c[n++] = count;
        }
        return new LatencyHistogram(Arrays.copyOf(b, n), Arrays.copyOf(c, n), Math.addExact(total, other.total));
    }

    /**
     * The count of one bucket.
     *
     * @throws IllegalArgumentException when the bucket is out of range
     */
    public long countAt(int bucket) {
        valueOf(bucket);
        int i = Arrays.binarySearch(buckets, bucket);
        return i >= 0 ? counts[i] : 0;
    }

    /** The sparse, versioned encoding described in the class documentation. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(1 + buckets.length * (2 + 10));
        out.put((byte) ENCODING_VERSION);
        int previous = 0;
        for (int i = 0; i < buckets.length; i++) {
            putVarint(out, buckets[i] - previous);
            putVarint(out, counts[i]);
            previous = buckets[i];
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /**
     * Reads {@link #toBytes()}'s encoding.
     *
     * @throws LlmServiceException ({@link ErrorCode#TELEMETRY_STORE}) when the bytes are not a
     *                             histogram of this encoding, saying what is wrong and at which byte
     */
    public static LatencyHistogram fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0 || bytes[0] != ENCODING_VERSION) {
            throw corrupt(bytes, 0, bytes.length == 0 ? "it is empty (an empty histogram is the single byte 1)"
                    : "its version byte is " + (bytes[0] & 0xff) + ", this build reads version " + ENCODING_VERSION);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
        // Sparse, straight from the bytes (buckets come in increasing order): stats read a histogram
        // per stored row, and a Builder's dense array per row cost more than the rest of the read.
        int[] buckets = new int[(bytes.length - 1) / 2];
        long[] counts = new long[buckets.length];
        int n = 0;
        long total = 0;
        long bucket = 0;
        boolean first = true;
        while (in.hasRemaining()) {
            int at = in.position();
            long gap = getVarint(bytes, in);
            if (!first && gap == 0) {
                throw corrupt(bytes, at, "a bucket is repeated");
            }
            bucket += gap;
            if (bucket >= BUCKETS) {
                throw corrupt(bytes, at, "bucket " + bucket + " is out of range (0 to " + (BUCKETS - 1) + ")");
            }
            if (!in.hasRemaining()) {
                throw corrupt(bytes, in.position(), "bucket " + bucket + " has no count");
            }
            int countAt = in.position();
            long count = getVarint(bytes, in);
            if (count <= 0) {
                throw corrupt(bytes, countAt, "bucket " + bucket + " has count " + count + " (must be > 0)");
            }
            try {
                total = Math.addExact(total, count);
            } catch (ArithmeticException e) {
                throw corrupt(bytes, countAt, "the counts add up to more than " + Long.MAX_VALUE);
            }
            buckets[n] = (int) bucket;
            counts[n++] = count;
            first = false;
        }
        return n == 0 ? EMPTY : new LatencyHistogram(Arrays.copyOf(buckets, n), Arrays.copyOf(counts, n), total);
    }

    private static void putVarint(ByteBuffer out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static long getVarint(byte[] bytes, ByteBuffer in) {
        int at = in.position();
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            byte b;
            try {
                b = in.get();
            } catch (BufferUnderflowException e) {
                throw corrupt(bytes, at, "a number is cut off at the end");
            }
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt(bytes, at, "a number is longer than 9 bytes");
    }

    private static LlmServiceException corrupt(byte[] bytes, int at, String what) {
        return new LlmServiceException(ErrorCode.TELEMETRY_STORE, "latency histogram of " + bytes.length
                + " bytes is damaged at byte " + at + ": " + what + "; the stats row holding it cannot be read "
                + "- restore the store from a backup or rebuild its rollups from the invocation log");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyHistogram h && Arrays.equals(h.buckets, buckets) && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(buckets) + Arrays.hashCode(counts);
    }

    /** The non-empty buckets as {@code {middle=count, ...}}, e.g. {@code {1.02s=3, 2.1s=1}}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LatencyHistogram{");
        for (int i = 0; i < buckets.length; i++) {
            s.append(i == 0 ? "" : ", ").append(valueOf(buckets[i])).append('=').append(counts[i]);
        }
        return s.append('}').toString();
    }

    /**
     * Accumulates latencies and histograms into a new {@link LatencyHistogram}. Not thread-safe;
     * {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private final long[] dense = new long[BUCKETS];
        private long total;

        private Builder() {
        }

        /** Counts one latency. */
        public Builder record(Duration latency) {
            return addCount(bucketOf(latency), 1);
        }

        /** Adds every bucket of a histogram. */
        public Builder add(LatencyHistogram histogram) {
            for (int i = 0; i < histogram.buckets.length; i++) {
                addCount(histogram.buckets[i], histogram.counts[i]);
            }
            return this;
        }

        private Builder addCount(int bucket, long count) {
            total = Math.addExact(total, count);
            dense[bucket] += count;
            return this;
        }

        public LatencyHistogram build() {
            if (total == 0) {
                return EMPTY;
            }
            int n = 0;
            for (long c : dense) {
                n += c == 0 ? 0 : 1;
            }
            int[] buckets = new int[n];
            long[] counts = new long[n];
            int j = 0;
            for (int i = 0; i < dense.length; i++) {
                if (dense[i] != 0) {
                    buckets[j] = i;
                    counts[j++] = dense[i];
                }
            }
            return new LatencyHistogram(buckets, counts, total);
        }
    }
}
