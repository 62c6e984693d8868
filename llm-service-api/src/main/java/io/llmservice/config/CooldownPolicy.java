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
 * }</pre>
 *
 * <p>A failure counts when the vendor API refused the credentials, answered 429 (rate limit,
 * quota) or a 5xx; {@code after} such failures in a row cool the pair down for {@code duration}.
 * An authentication failure cools it down at once, until the tool's definition or the values of its
 * {@code env:} change, and at most for {@code authDuration}. A success resets the count.
 *
 * <p>Immutable and thread-safe.
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
        return new CooldownPolicy(true, DEFAULT_AFTER, DEFAULT_DURATION, DEFAULT_AUTH_DURATION);
    }

    /** {@code cooldown: off}: nothing is skipped for its past failures. */
    public static CooldownPolicy off() {
        return new CooldownPolicy(false, DEFAULT_AFTER, DEFAULT_DURATION, DEFAULT_AUTH_DURATION);
    }
}
