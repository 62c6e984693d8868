package io.llmservice;

import java.util.OptionalLong;

/**
 * Token counts of one invocation. Each count is either known or unknown — a tool that does not
 * report a count leaves it unknown, which is not the same as zero.
 *
 * <pre>{@code
 * Usage u = response.usage();
 * u.inputTokens().ifPresent(n -> ...);
 * if (!u.isComplete()) log.info("tool did not report all token counts: {}", u);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Usage {
    private static final long UNKNOWN = -1;
    private static final Usage NONE = new Usage(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);

    private final long input;
    private final long output;
    private final long cacheRead;
    private final long cacheWrite;

    private Usage(long input, long output, long cacheRead, long cacheWrite) {
        this.input = input;
        this.output = output;
        this.cacheRead = cacheRead;
        this.cacheWrite = cacheWrite;
    }

    /** All four counts known. */
    public static Usage of(long input, long output, long cacheRead, long cacheWrite) {
        return new Usage(check(input, "input"), check(output, "output"),
                check(cacheRead, "cacheRead"), check(cacheWrite, "cacheWrite"));
    }

    /** Nothing known. */
    public static Usage unknown() {
        return NONE;
    }

    /** Counts that may each be unknown. */
    public static Usage of(OptionalLong input, OptionalLong output, OptionalLong cacheRead,
                           OptionalLong cacheWrite) {
        return new Usage(value(input, "input"), value(output, "output"),
                value(cacheRead, "cacheRead"), value(cacheWrite, "cacheWrite"));
    }

    public OptionalLong inputTokens() {
        return opt(input);
    }

    public OptionalLong outputTokens() {
        return opt(output);
    }

    public OptionalLong cacheReadTokens() {
        return opt(cacheRead);
    }

    public OptionalLong cacheWriteTokens() {
        return opt(cacheWrite);
    }

    /** True when at least the input and output counts are known. */
    public boolean isKnown() {
        return input >= 0 && output >= 0;
    }

    /** True when all four counts are known. */
    public boolean isComplete() {
        return isKnown() && cacheRead >= 0 && cacheWrite >= 0;
    }

    /** Sum of the known counts (unknown counts as zero here). */
    public long totalTokens() {
        return Math.max(input, 0) + Math.max(output, 0) + Math.max(cacheRead, 0) + Math.max(cacheWrite, 0);
    }

    private static long check(long v, String what) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " tokens must be >= 0, was " + v);
        }
        return v;
    }

    private static long value(OptionalLong v, String what) {
        return v.isPresent() ? check(v.getAsLong(), what) : UNKNOWN;
    }

    private static OptionalLong opt(long v) {
        return v < 0 ? OptionalLong.empty() : OptionalLong.of(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Usage u && u.input == input && u.output == output
                && u.cacheRead == cacheRead && u.cacheWrite == cacheWrite;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(input, output, cacheRead, cacheWrite);
    }

    @Override
    public String toString() {
        return "Usage{input=" + show(input) + ", output=" + show(output) + ", cacheRead=" + show(cacheRead)
                + ", cacheWrite=" + show(cacheWrite) + "}";
    }

    private static String show(long v) {
        return v < 0 ? "unknown" : Long.toString(v);
    }
}
