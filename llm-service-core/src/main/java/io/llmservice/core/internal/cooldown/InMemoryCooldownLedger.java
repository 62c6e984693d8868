package io.llmservice.core.internal.cooldown;

import io.llmservice.spi.CooldownEntry;
import io.llmservice.spi.CooldownKey;
import io.llmservice.spi.CooldownLedger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link CooldownLedger} of one JVM: the {@code memory} store's, and the service's own when its
 * store keeps none. One entry per {@link CooldownKey} (tool, model and fingerprint), updated
 * atomically through {@link ConcurrentHashMap#compute}. Thread-safe.
 */
public final class InMemoryCooldownLedger implements CooldownLedger {
    private final ConcurrentHashMap<CooldownKey, CooldownEntry> entries = new ConcurrentHashMap<>();

    @Override
    public CooldownEntry failed(CooldownKey key, String reason, int after, Duration coolFor, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        CooldownEntry e = entries.compute(key, (k, old) -> CooldownEntry.afterFailure(k,
                old == null ? 0 : old.failures(), reason, after, coolFor, now));
        entries.values().removeIf(other -> !other.key().equals(key) && other.until().isPresent()
                && !other.coolingAt(now));
        return e;
    }

    @Override
    public void succeeded(CooldownKey key) {
        Objects.requireNonNull(key, "key");
        entries.remove(key);
    }

    @Override
    public List<CooldownEntry> entries() {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<CooldownEntry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparing((CooldownEntry e) -> e.key().tool()).thenComparing(e -> e.key().model())
                .thenComparing(e -> e.key().fingerprint()));
        return out;
    }

    @Override
    public int reset(String tool, String model) {
        int removed = 0;
        for (CooldownKey k : entries.keySet()) {
            if ((tool == null || k.tool().equals(tool)) && (model == null || k.model().equals(model))
                    && entries.remove(k) != null) {
                removed++;
            }
        }
        return removed;
    }
}
