package io.llmservice.spi;

import java.time.Duration;
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

    /**
     * The entry after one more failure of {@code key}, given how many failures in a row its ledger
     * held for that key (0 when none): the arithmetic every {@link CooldownLedger#failed} shares. When
     * the count reaches {@code after}, the pair cools down until {@code now + coolFor}; any later
     * failure starts a new cooldown from {@code now}.
     *
     * <pre>{@code
     * CooldownEntry e = CooldownEntry.afterFailure(key, 2, "HTTP 429", 3, Duration.ofMinutes(5), now);
     * // e.failures() == 3, e.until() == now + 5m
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code after} &lt; 1, {@code coolFor} &le; 0 or
     *                                  {@code previousFailures} &lt; 0
     */
    public static CooldownEntry afterFailure(CooldownKey key, int previousFailures, String reason, int after,
                                             Duration coolFor, Instant now) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(coolFor, "coolFor");
        if (after < 1 || coolFor.isNegative() || coolFor.isZero() || previousFailures < 0) {
            throw new IllegalArgumentException("after must be >= 1, coolFor > 0 and previousFailures >= 0, were "
                    + after + ", " + coolFor + " and " + previousFailures);
        }
        int failures = Math.addExact(previousFailures, 1);
        return new CooldownEntry(key, failures, reason,
                failures >= after ? Optional.of(now.plus(coolFor)) : Optional.empty());
    }

    /** Whether the pair is cooling down at {@code now}: its cooldown ends after it. */
    public boolean coolingAt(Instant now) {
        return until.isPresent() && until.get().isAfter(now);
    }
}
