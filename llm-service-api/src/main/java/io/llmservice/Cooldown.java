package io.llmservice;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A tool/model pair that routing skips for now, because its last attempts failed on
 * authentication, rate limit / quota (HTTP 429) or server errors (5xx). From
 * {@link LlmService#cooldowns()}.
 *
 * <pre>{@code
 * for (Cooldown c : llm.cooldowns()) {
 *     System.out.println(c.tool() + "/" + c.model() + ": " + c.describe());
 *     // codex/gpt-5: cooling down for 4m12s after 3 failures (HTTP 429)
 * }
 * llm.resetCooldown("codex");   // run it again at once
 * }</pre>
 *
 * <p>Made with {@link #builder(String, String)}, so that parts added later break no caller. Immutable.
 *
 * @param tool      the tool's configured name
 * @param model     the catalogue model id
 * @param failures  the failures in a row that started it (1 for an authentication failure)
 * @param reason    the last failure in a few words, e.g. {@code HTTP 429}
 * @param until     when the pair may run again
 * @param remaining the time left when the cooldowns were read
 */
public record Cooldown(String tool, String model, int failures, String reason, Instant until, Duration remaining) {
    public Cooldown {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(remaining, "remaining");
    }

    /** A builder for the cooldown of {@code tool}/{@code model}. */
    public static Builder builder(String tool, String model) {
        return new Builder(tool, model);
    }

    /** E.g. {@code cooling down for 4m12s after 3 failures (HTTP 429)}. */
    public String describe() {
        return "cooling down for " + format(remaining) + " after " + failures
                + (failures == 1 ? " failure" : " failures") + " (" + reason + ")";
    }

    /** A duration as users read it: {@code 4m12s}, {@code 1h5m}, {@code 38s}, {@code 0s}. */
    public static String format(Duration d) {
        long s = Math.max(0, d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
        long h = s / 3600;
        long m = s % 3600 / 60;
        long sec = s % 60;
        if (h > 0) {
            return h + "h" + (m > 0 ? m + "m" : "");
        }
        if (m > 0) {
            return m + "m" + (sec > 0 ? sec + "s" : "");
        }
        return sec + "s";
    }

    /** Builds {@link Cooldown}s. Not thread-safe. */
    public static final class Builder {
        private final String tool;
        private final String model;
        private int failures = 1;
        private String reason = "";
        private Instant until = Instant.EPOCH;
        private Duration remaining = Duration.ZERO;

        private Builder(String tool, String model) {
            this.tool = Objects.requireNonNull(tool, "tool");
            this.model = Objects.requireNonNull(model, "model");
        }

        public Builder failures(int failures) {
            this.failures = failures;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        public Builder until(Instant until) {
            this.until = Objects.requireNonNull(until, "until");
            return this;
        }

        public Builder remaining(Duration remaining) {
            this.remaining = Objects.requireNonNull(remaining, "remaining");
            return this;
        }

        public Cooldown build() {
            return new Cooldown(tool, model, failures, reason, until, remaining);
        }
    }
}
