package io.llmservice;

/**
 * How one attempt (or a whole request) ended; recorded in telemetry.
 *
 * <pre>{@code
 * long timeouts = response.attempts().stream().filter(a -> a.outcome() == Outcome.TIMEOUT).count();
 * String stored = Outcome.BUDGET_BLOCKED.storedName();   // "budget_blocked", as in the invocation log
 * }</pre>
 */
public enum Outcome {
    SUCCESS, FAILED, TIMEOUT, NOT_INSTALLED, CANCELLED, BUDGET_BLOCKED, RATE_LIMITED, NO_ROUTE;

    /** The lower-case name stored in telemetry, e.g. {@code budget_blocked}. */
    public String storedName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
