package io.llmservice.core.internal.cooldown;

import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link CooldownLedger} of one JVM: the {@code memory} store's, and the service's own when its
 * store keeps none. One entry per tool/model pair, updated atomically through
 * {@link ConcurrentHashMap#compute}. Thread-safe.
 */
public final class InMemoryCooldownLedger implements CooldownLedger {
    /** Tool and model: one entry per pair, whatever its fingerprint. */
    private record Pair(String tool, String model) {
    }

    private final ConcurrentHashMap<Pair, CooldownEntry> entries = new ConcurrentHashMap<>();

    @Override
    public CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        if (after < 1 || coolFor.isNegative() || coolFor.isZero()) {
            throw new IllegalArgumentException("after must be >= 1 and coolFor > 0, were " + after + " and " + coolFor);
        }
        return entries.compute(new Pair(key.tool(), key.model()), (pair, old) -> next(old, key, reason, after,
                coolFor, now));
    }

    /** The entry after one more failure: the arithmetic every ledger shares. */
    static CooldownEntry next(CooldownEntry old, CooldownKey key, String reason, int after, Duration coolFor,
                              Instant now) {
        int failures = old == null || !old.key().fingerprint().equals(key.fingerprint()) ? 1
                : Math.addExact(old.failures(), 1);
        Optional<Instant> until = failures >= after ? Optional.of(now.plus(coolFor)) : Optional.empty();
        return new CooldownEntry(key, failures, reason, until);
    }

    @Override
    public void succeeded(CooldownKey key) {
        Objects.requireNonNull(key, "key");
        entries.remove(new Pair(key.tool(), key.model()));
    }

    @Override
    public List<CooldownEntry> entries() {
        if (entries.isEmpty()) {
            return List.of(); // every route() asks: the usual answer costs nothing
        }
        List<CooldownEntry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparing((CooldownEntry e) -> e.key().tool()).thenComparing(e -> e.key().model()));
        return out;
    }

    @Override
    public int reset(String tool, String model) {
        int removed = 0;
        for (Iterator<Pair> it = entries.keySet().iterator(); it.hasNext(); ) {
            Pair p = it.next();
            if ((tool == null || p.tool().equals(tool)) && (model == null || p.model().equals(model))) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }
}
