package io.llmservice.core.internal.ratelimit;

import io.llmservice.spi.RateLimitLedger;
import io.llmservice.spi.RateLimitOutcome;
import io.llmservice.spi.RateLimitTake;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RateLimitLedger} as a store that several services share would keep it, in memory: the
 * buckets are {@link TokenBucket}s by name, so its answers are the in-memory limiter's. Records
 * every request it is asked, for tests that check what the limiter asks. Thread-safe.
 */
public final class SharedBuckets implements RateLimitLedger {
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    /** Every {@link #tryTake} argument, in call order. */
    public final List<List<RateLimitTake>> asked = new CopyOnWriteArrayList<>();

    @Override
    public synchronized RateLimitOutcome tryTake(List<RateLimitTake> takes, Instant now) {
        asked.add(List.copyOf(takes));
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        List<Duration> waits = new ArrayList<>();
        boolean fits = true;
        for (RateLimitTake t : takes) {
            TokenBucket b = buckets.computeIfAbsent(t.bucket(), k -> new TokenBucket(t.perMinute(), micros));
            b.refill(micros);
            long wait = b.waitMicros(t.amount());
            waits.add(Duration.of(wait, ChronoUnit.MICROS));
            fits &= wait == 0;
        }
        if (!fits) {
            return RateLimitOutcome.refused(waits);
        }
        for (RateLimitTake t : takes) {
            buckets.get(t.bucket()).take(t.amount());
        }
        return RateLimitOutcome.taken(takes.size());
    }
}
