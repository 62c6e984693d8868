package io.llmservice;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One try of one candidate (tool + model) while serving a request. A request that fell back
 * has several attempts; {@link LlmResponse#attempts()} and
 * {@link AllCandidatesFailedException#attempts()} list them in order.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * LlmResponse r = llm.route(request).execute();
 * for (Attempt a : r.attempts()) {
 *     System.out.printf("#%d %s/%s %s in %d ms%n", a.number(), a.tool(), a.model(), a.outcome(), a.latency().toMillis());
 * }
 * }</pre>
 */
public final class Attempt {
    private final int number;
    private final String tool;
    private final String model;
    private final Outcome outcome;
    private final Instant startedAt;
    private final Duration latency;
    private final Usage usage;
    private final BigDecimal costUsd;
    private final CostSource costSource;
    private final int exitCode;
    private final LlmServiceException failure;

    private Attempt(int number, String tool, String model, Outcome outcome, Instant startedAt, Duration latency,
                    Usage usage, BigDecimal costUsd, CostSource costSource, int exitCode,
                    LlmServiceException failure) {
        if (number < 1) {
            throw new IllegalArgumentException("attempt number starts at 1, was " + number);
        }
        this.number = number;
        this.tool = Objects.requireNonNull(tool, "tool");
        this.model = Objects.requireNonNull(model, "model");
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.startedAt = Objects.requireNonNull(startedAt, "startedAt");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.usage = Objects.requireNonNull(usage, "usage");
        this.costUsd = costUsd;
        this.costSource = Objects.requireNonNull(costSource, "costSource");
        this.exitCode = exitCode;
        this.failure = failure;
    }

    /** A successful attempt. {@code exitCode} is the tool's exit status. */
    public static Attempt succeeded(int number, String tool, String model, Instant startedAt, Duration latency,
                                    Usage usage, Optional<BigDecimal> costUsd, CostSource costSource, int exitCode) {
        return new Attempt(number, tool, model, Outcome.SUCCESS, startedAt, latency, usage,
                costUsd.orElse(null), costSource, exitCode, null);
    }

    /**
     * A failed attempt. {@code exitCode} is negative when the process did not exit by itself
     * (not started, killed on timeout).
     */
    public static Attempt failed(int number, String tool, String model, Outcome outcome, Instant startedAt,
                                 Duration latency, Usage usage, int exitCode, LlmServiceException failure) {
        if (outcome == Outcome.SUCCESS) {
            throw new IllegalArgumentException("a failed attempt cannot have outcome SUCCESS");
        }
        return new Attempt(number, tool, model, outcome, startedAt, latency, usage, null, CostSource.UNKNOWN,
                exitCode, Objects.requireNonNull(failure, "failure"));
    }

    public int number() {
        return number;
    }

    public String tool() {
        return tool;
    }

    /** The catalogue model id (as in {@code models:}), not the tool's own alias. */
    public String model() {
        return model;
    }

    public Outcome outcome() {
        return outcome;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Duration latency() {
        return latency;
    }

    public Usage usage() {
        return usage;
    }

    public Optional<BigDecimal> costUsd() {
        return Optional.ofNullable(costUsd);
    }

    public CostSource costSource() {
        return costSource;
    }

    /** The tool's exit status; empty when the process never exited by itself. */
    public OptionalInt exitCode() {
        return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** Why the attempt failed; empty on success. */
    public Optional<LlmServiceException> failure() {
        return Optional.ofNullable(failure);
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCESS;
    }

    /**
     * This attempt as one line, for error messages and logs: {@code tool/model outcome (exit 1)
     * after 1.2 s: reason [LLM-032]}. The reason is the failure's message without its
     * {@code tool 'x': } prefix, its lines joined with {@code " | "}.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(tool).append('/').append(model).append(' ').append(outcome.storedName());
        if (exitCode >= 0) {
            sb.append(" (exit ").append(exitCode).append(')');
        }
        long millis = latency.toMillis();
        sb.append(" after ").append(millis < 1000 ? millis + " ms"
                : String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
        if (failure != null) {
            sb.append(": ").append(reason()).append(" [").append(failure.code().id()).append(']');
        }
        return sb.toString();
    }

    /** The failure's message without the {@code tool 'x': } prefix, on one line; empty on success. */
    public String reason() {
        if (failure == null) {
            return "";
        }
        String message = Objects.requireNonNullElse(failure.getMessage(), "");
        String prefix = "tool '" + tool + "': ";
        if (message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return String.join(" | ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    @Override
    public String toString() {
        return "Attempt{#" + number + " " + tool + "/" + model + " " + outcome.storedName()
                + " in " + latency.toMillis() + "ms"
                + (failure == null ? "" : ": " + failure.getMessage()) + "}";
    }
}
