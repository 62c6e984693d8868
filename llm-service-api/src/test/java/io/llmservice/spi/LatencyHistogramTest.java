package io.llmservice.spi;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    @Test
    void valueOfBucket_isWithinTheStatedErrorOfEveryValueInIt() {
        Random random = new Random(16);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            long nanos = i < 5_000 ? i + 1 : (long) Math.exp(random.nextDouble() * Math.log(Long.MAX_VALUE / 2.0));
            Duration reported = LatencyHistogram.valueOf(LatencyHistogram.bucketOf(Duration.ofNanos(nanos)));
            double off = Math.abs(reported.toNanos() - (double) nanos);
            // the middle is rounded to the nanosecond: half a nanosecond more, which matters below ~1 µs only
            assertThat(off).as("%d ns reported as %s", nanos, reported)
                    .isLessThanOrEqualTo(nanos * LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT / 100 + 0.5);
            if (nanos >= 100_000) {
                worst = Math.max(worst, off / nanos);
            }
        }
        assertThat(worst * 100).isLessThanOrEqualTo(LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT).isGreaterThan(2.0);
        assertThat(LatencyHistogram.bucketOf(Duration.ZERO)).isZero();
        assertThat(LatencyHistogram.bucketOf(Duration.ofDays(365 * 1000))).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.valueOf(LatencyHistogram.BUCKETS - 1)).isPositive();
    }

    @Test
    void bucketOf_isMonotonic_andSixteenBucketsPerDoubling() {
        assertThat(LatencyHistogram.bucketOf(Duration.ofNanos(1024)) - LatencyHistogram.bucketOf(Duration.ofNanos(512)))
                .isEqualTo(16);
        int previous = 0;
        for (long n = 1; n < 100_000; n++) {
            int b = LatencyHistogram.bucketOf(Duration.ofNanos(n));
            assertThat(b).isGreaterThanOrEqualTo(previous);
            previous = b;
        }
        assertThatThrownBy(() -> LatencyHistogram.bucketOf(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be >= 0, was PT-0.001S");
    }

    @Test
    void rank_isTheExactNearestRank() {
        assertThat(LatencyHistogram.rank(95, 20)).isEqualTo(19);
        assertThat(LatencyHistogram.rank(50, 20)).isEqualTo(10);
        assertThat(LatencyHistogram.rank(50, 21)).isEqualTo(11);
        assertThat(LatencyHistogram.rank(100, 7)).isEqualTo(7);
        assertThat(LatencyHistogram.rank(0.1, 999)).isEqualTo(1);
        assertThat(LatencyHistogram.rank(99.9, 1000)).isEqualTo(999);
        assertThatThrownBy(() -> LatencyHistogram.rank(0, 5)).hasMessage("a percentile is in (0, 100], was 0.0");
        assertThatThrownBy(() -> LatencyHistogram.rank(101, 5)).hasMessage("a percentile is in (0, 100], was 101.0");
        assertThatThrownBy(() -> LatencyHistogram.rank(50, 0))
                .hasMessage("a percentile needs at least one value, count was 0");
    }

    @Test
    void percentile_isWithinTheStatedErrorOfTheExactNearestRank() {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(2_000);
            long[] values = new long[n];
            LatencyHistogram.Builder b = LatencyHistogram.builder();
            for (int i = 0; i < n; i++) {
                values[i] = (long) (1e6 * Math.exp(random.nextGaussian() * 2 + 5));
                b.record(Duration.ofNanos(values[i]));
            }
            Arrays.sort(values);
            LatencyHistogram h = b.build();
            assertThat(h.count()).isEqualTo(n);
            for (double p : new double[] {1, 50, 95, 99.9, 100}) {
                long exact = values[(int) LatencyHistogram.rank(p, n) - 1];
                assertThat((double) h.percentile(p).toNanos())
                        .as("p%s of %d values", p, n)
                        .isCloseTo(exact, within(exact * LatencyHistogram.MAX_RELATIVE_ERROR_PERCENT / 100));
            }
        }
    }

    @Test
    void percentile_ofTwentyEvenMilliseconds() {
        LatencyHistogram.Builder b = LatencyHistogram.builder();
        for (int i = 1; i <= 20; i++) {
            b.record(Duration.ofMillis(i));
        }
        LatencyHistogram h = b.build();
        assertThat(h.percentile(50).toNanos()).isCloseTo(10_000_000L, within(220_000L));
        assertThat(h.percentile(95).toNanos()).isCloseTo(19_000_000L, within(418_000L));
        assertThat(LatencyHistogram.empty().percentile(95)).isZero();
    }

    @Test
    void plus_addsBucketCounts_asTheBuilderDoes() {
        LatencyHistogram a = LatencyHistogram.builder().record(Duration.ofMillis(5)).record(Duration.ofMillis(5))
                .record(Duration.ofSeconds(1)).build();
        LatencyHistogram b = LatencyHistogram.builder().record(Duration.ofMillis(5)).record(Duration.ZERO)
                .record(Duration.ofHours(2)).build();
        LatencyHistogram sum = a.plus(b);
        assertThat(sum).isEqualTo(LatencyHistogram.builder().add(a).add(b).build()).isEqualTo(b.plus(a));
        assertThat(sum.count()).isEqualTo(6);
        assertThat(sum.countAt(LatencyHistogram.bucketOf(Duration.ofMillis(5)))).isEqualTo(3);
        assertThat(sum.countAt(0)).isEqualTo(1);
        assertThat(a.plus(LatencyHistogram.empty())).isSameAs(a);
    }

    @Test
    void bytes_roundTrip_sparse() {
        LatencyHistogram h = LatencyHistogram.builder().record(Duration.ZERO).record(Duration.ofMillis(850))
                .record(Duration.ofMillis(850)).record(Duration.ofMinutes(50)).build();
        byte[] bytes = h.toBytes();
        assertThat(LatencyHistogram.fromBytes(bytes)).isEqualTo(h);
        assertThat(bytes.length).isLessThanOrEqualTo(1 + 3 * 3);
        assertThat(LatencyHistogram.empty().toBytes()).containsExactly(1);
        assertThat(LatencyHistogram.fromBytes(new byte[] {1})).isEqualTo(LatencyHistogram.empty());
        LatencyHistogram big = LatencyHistogram.builder().add(h).build();
        for (int i = 0; i < 20; i++) {
            big = big.plus(big);
        }
        assertThat(LatencyHistogram.fromBytes(big.toBytes())).isEqualTo(big);
    }

    @Test
    void fromBytes_refusesDamagedInput_sayingWhatAndWhere() {
        assertCorrupt(new byte[0], "latency histogram of 0 bytes is damaged at byte 0: it is empty");
        assertCorrupt(hex("02"), "damaged at byte 0: its version byte is 2, this build reads version 1");
        assertCorrupt(hex("01 05"), "damaged at byte 2: bucket 5 has no count");
        assertCorrupt(hex("01 05 80"), "damaged at byte 2: a number is cut off at the end");
        assertCorrupt(hex("01 05 00"), "damaged at byte 2: bucket 5 has count 0 (must be > 0)");
        assertCorrupt(hex("01 05 01 00 01"), "damaged at byte 3: a bucket is repeated");
        assertCorrupt(hex("01 f1 07 01"), "damaged at byte 1: bucket 1009 is out of range (0 to 1008)");
        assertCorrupt(hex("01 05 ff ff ff ff ff ff ff ff 7f 06 01"),
                "damaged at byte 12: the counts add up to more than");
        assertCorrupt(hex("01 ff ff ff ff ff ff ff ff ff 01"), "damaged at byte 1: a number is longer than 9 bytes");
        // A gap near Long.MAX_VALUE must not wrap the bucket number round to a small, valid-looking one.
        assertCorrupt(hex("01 0a 01 fa ff ff ff ff ff ff ff 7f 01"),
                "damaged at byte 3: bucket 9223372036854775812 is out of range (0 to 1008)");
        assertCorrupt(hex("01 ff ff ff ff ff ff ff ff 7f 01"),
                "damaged at byte 1: bucket 9223372036854775807 is out of range (0 to 1008)");
        assertCorrupt(hex("01 0a 01 fe ff ff ff ff ff ff ff 7f 01"),
                "damaged at byte 3: bucket 9223372036854775816 is out of range (0 to 1008)");
    }

    private static void assertCorrupt(byte[] bytes, String message) {
        assertThatThrownBy(() -> LatencyHistogram.fromBytes(bytes)).isInstanceOf(LlmServiceException.class)
                .hasMessageContaining(message)
                .hasMessageContaining("rebuild its rollups from the invocation log")
                .satisfies(e -> assertThat(((LlmServiceException) e).code()).isEqualTo(ErrorCode.TELEMETRY_STORE));
    }

    private static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }
}
