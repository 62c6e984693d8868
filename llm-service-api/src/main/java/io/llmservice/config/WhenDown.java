package io.llmservice.config;

import java.util.Locale;

/**
 * {@code policies.telemetry.when_down}: what a <em>soft</em> budget does when the telemetry store
 * that keeps its ledger cannot be reached. A hard budget always refuses then: it never lets a call
 * run unmetered.
 *
 * <pre>{@code
 * // policies: {telemetry: {store: postgres, url: ..., when_down: run}}
 * boolean softRunsUnmetered = llm.config().policies().telemetry().whenDown() == WhenDown.RUN;
 * }</pre>
 */
public enum WhenDown {
    /** Refuse the call with {@code BUDGET_UNAVAILABLE}; nothing runs (the default). */
    REFUSE,
    /** Run the call without reserving in the soft budget; the response's warnings say so. */
    RUN;

    /** The lower-case name used in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
