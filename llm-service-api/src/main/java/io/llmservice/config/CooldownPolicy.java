package io.llmservice.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code policies.cooldown} section: when a tool/model pair is skipped by routing because its
 * last attempts failed in a way that the next attempt would most likely repeat.
 *
 * <pre>{@code
 * CooldownPolicy c = llm.config().policies().cooldown();
 * if (c.enabled()) {
 *     System.out.println("after " + c.after() + " failures, skipped for " + c.duration());
 * }
 * CooldownPolicy quick = CooldownPolicy.builder().after(2).duration(Duration.ofMinutes(1)).build();
 * CooldownPolicy patient = quick.toBuilder().authDuration(Duration.ofHours(4)).build();
 * }</pre>
 *
 * <p>A failure counts when the vendor API refused the credentials, answered 429 (rate limit,
 * quota) or a 5xx; {@code after} such failures in a row cool the pair down for {@code duration}.
 * An authentication failure cools it down at once, until the tool's definition or the values of its
 * {@code env:} change, and at most for {@code authDuration}. A success resets the count.
 *
 * <p>Immutable and thread-safe; the builder is not thread-safe. Build one with {@link #builder()}
 * (the canonical constructor stays public, but it breaks whenever a component is added).
 *
 * @param enabled      false with {@code cooldown: off}: nothing is ever skipped
 * @param after        consecutive failures (authentication, 429, 5xx) that start a cooldown, &ge; 1
 * @param duration     how long a cooldown lasts, &gt; 0
 * @param authDuration the longest an authentication cooldown lasts while nothing changes, &gt; 0
 */
public record CooldownPolicy(boolean enabled, int after, Duration duration, Duration authDuration) {
    /** Default of {@code after}. */
    public static final int DEFAULT_AFTER = 3;
    /** Default of {@code for}. */
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(5);
    /** Default of {@code auth_for}. */
    public static final Duration DEFAULT_AUTH_DURATION = Duration.ofHours(1);

    public CooldownPolicy {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(authDuration, "authDuration");
        if (after < 1) {
            throw new IllegalArgumentException("cooldown after must be >= 1 failure, was " + after);
        }
        if (duration.isNegative() || duration.isZero() || authDuration.isNegative() || authDuration.isZero()) {
            throw new IllegalArgumentException("cooldown durations must be > 0, were " + duration + " and " + authDuration);
        }
    }

    /** The default: after 3 failures, for 5 minutes; authentication for at most an hour. */
    public static CooldownPolicy defaults() {
        return builder().build();
    }

    /** {@code cooldown: off}: nothing is skipped for its past failures. */
    public static CooldownPolicy off() {
        return builder().enabled(false).build();
    }

    /** A builder holding the defaults; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this policy's values, to make a copy with some of them changed. */
    public Builder toBuilder() {
        return new Builder().enabled(enabled).after(after).duration(duration).authDuration(authDuration);
    }

    /**
     * Builds {@link CooldownPolicy}s. Nothing is required. Defaults: enabled, after
     * {@link #DEFAULT_AFTER} failures, for {@link #DEFAULT_DURATION}, authentication for at most
     * {@link #DEFAULT_AUTH_DURATION}. Not thread-safe.
     */
    public static final class Builder {
        private boolean enabled = true;
        private int after = DEFAULT_AFTER;
        private Duration duration = DEFAULT_DURATION;
        private Duration authDuration = DEFAULT_AUTH_DURATION;

        private Builder() {
        }

        /** False for {@code cooldown: off}. */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Consecutive counting failures that start a cooldown ({@code after}), &ge; 1. */
        public Builder after(int after) {
            this.after = after;
            return this;
        }

        /** How long a cooldown lasts ({@code for}), &gt; 0. */
        public Builder duration(Duration duration) {
            this.duration = Objects.requireNonNull(duration, "duration");
            return this;
        }

        /** The longest an authentication cooldown lasts ({@code auth_for}), &gt; 0. */
        public Builder authDuration(Duration authDuration) {
            this.authDuration = Objects.requireNonNull(authDuration, "authDuration");
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalArgumentException when a value is out of range, naming it and the value
         */
        public CooldownPolicy build() {
            return new CooldownPolicy(enabled, after, duration, authDuration);
        }
    }
}
