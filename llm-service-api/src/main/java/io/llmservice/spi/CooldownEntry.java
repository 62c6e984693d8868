package io.llmservice.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link CooldownLedger} knows about one tool/model pair: how many of its attempts in a row
 * failed in a way that counts (authentication, 429, 5xx), the last such failure, and until when the
 * pair is cooling down, if it is.
 *
 * <pre>{@code
 * for (CooldownEntry e : ledger.entries()) {
 *     if (e.coolingAt(clock.instant())) {
 *         System.out.println(e.key().tool() + "/" + e.key().model() + " skipped until " + e.until().orElseThrow());
 *     }
 * }
 * }</pre>
 *
 * <p>Immutable.
 *
 * @param key      the pair and the fingerprint of the configuration the failures were seen under
 * @param failures consecutive counting failures, &ge; 1
 * @param reason   the last failure in a few words, e.g. {@code HTTP 429} or {@code authentication failed (HTTP 401)}
 * @param until    the end of the cooldown; empty while the pair is only counting
 */
public record CooldownEntry(CooldownKey key, int failures, String reason, Optional<Instant> until) {
    public CooldownEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(until, "until");
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be >= 1, was " + failures);
        }
    }

    /** Whether the pair is cooling down at {@code now}: its cooldown ends after it. */
    public boolean coolingAt(Instant now) {
        return until.isPresent() && until.get().isAfter(now);
    }
}
