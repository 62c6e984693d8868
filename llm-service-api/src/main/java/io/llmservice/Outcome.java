package io.llmservice;

/** How one attempt (or a whole request) ended; recorded in telemetry. */
public enum Outcome {
    SUCCESS, FAILED, TIMEOUT, NOT_INSTALLED, CANCELLED, BUDGET_BLOCKED, RATE_LIMITED, NO_ROUTE;

    /** The lower-case name stored in telemetry, e.g. {@code budget_blocked}. */
    public String storedName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
