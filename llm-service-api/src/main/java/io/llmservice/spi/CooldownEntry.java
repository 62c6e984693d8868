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
 * // a ledger's answer to the third HTTP 429 in a row
 * CooldownEntry cooling = CooldownEntry.builder()
 *         .key(key).failures(3).reason("HTTP 429").until(now.plus(Duration.ofMinutes(5)))
 *         .build();
 * CooldownEntry counting = cooling.toBuilder().failures(1).until(Optional.empty()).build();
 * }</pre>
 *
 * <p>Immutable; the builder is not thread-safe. Build one with {@link #builder()} (the canonical
 * constructor stays public, but it breaks whenever a component is added).
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

    /** A builder with nothing set; see {@link Builder} for the required parts and the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this entry's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().key(key).failures(failures).reason(reason).until(until);
    }

    /**
     * Builds {@link CooldownEntry}s. {@code key} and {@code reason} are required. Defaults:
     * 1 failure, no cooldown ({@code until} empty: the pair is only counting). Not thread-safe.
     */
    public static final class Builder {
        private CooldownKey key;
        private int failures = 1;
        private String reason;
        private Optional<Instant> until = Optional.empty();

        private Builder() {
        }

        /** The pair and the fingerprint of its configuration; required. */
        public Builder key(CooldownKey key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Consecutive counting failures, &ge; 1. */
        public Builder failures(int failures) {
            this.failures = failures;
            return this;
        }

        /** The last failure in a few words; required. */
        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /** The end of the cooldown. */
        public Builder until(Instant until) {
            this.until = Optional.of(until);
            return this;
        }

        /** The end of the cooldown; empty while the pair is only counting. */
        public Builder until(Optional<Instant> until) {
            this.until = Objects.requireNonNull(until, "until");
            return this;
        }

        /**
         * The entry.
         *
         * @throws IllegalStateException    when {@code key} or {@code reason} was not set
         * @throws IllegalArgumentException when {@code failures} is below 1
         */
        public CooldownEntry build() {
            if (key == null) {
                throw new IllegalStateException("CooldownEntry.key is required and was not set");
            }
            if (reason == null) {
                throw new IllegalStateException("CooldownEntry.reason is required and was not set");
            }
            return new CooldownEntry(key, failures, reason, until);
        }
    }
}
