package io.llmservice;

/**
 * Stable error codes carried by every {@link LlmServiceException}. The codes are part of the
 * public contract: they are documented in {@code docs/errors.md} and never renamed.
 *
 * <pre>{@code
 * catch (LlmServiceException e) {
 *     if (e.code() == ErrorCode.BUDGET_EXCEEDED) { ... }
 * }
 * }</pre>
 */
public enum ErrorCode {
    /** The configuration could not be read or is invalid; see {@link ConfigException#problems()}. */
    CONFIG_INVALID("LLM-001"),
    /** Two SPI providers claim the same {@code type()} name, or a provider could not be loaded. */
    PROVIDER_CONFLICT("LLM-002"),
    /** No implementation of a required SPI was found on the class path or module path. */
    PROVIDER_MISSING("LLM-003"),
    /** The request names an unknown agent, tool or model, or an incompatible tool/model pair. */
    INVALID_REQUEST("LLM-004"),
    /** The routing strategy found no candidate that may run. */
    NO_ROUTE("LLM-010"),
    /** A hard budget refused the request before anything ran. */
    BUDGET_EXCEEDED("LLM-020"),
    /** A rate limit refused the request. */
    RATE_LIMITED("LLM-021"),
    /**
     * A budget could not be checked because the telemetry store that keeps its ledger could not be
     * reached, or was reached but failed (the message says which; the cause is the store's
     * {@link #TELEMETRY_STORE} error); nothing ran. An unreachable store: a hard budget always refuses,
     * a soft one too unless {@code policies.telemetry.when_down: run}. A store that failed: every
     * budget refuses.
     */
    BUDGET_UNAVAILABLE("LLM-022"),
    /** The tool's binary was not found. */
    TOOL_NOT_INSTALLED("LLM-030"),
    /** The tool ran longer than its timeout; its process tree was killed. */
    TOOL_TIMEOUT("LLM-031"),
    /** The tool exited with a non-zero status. */
    TOOL_EXIT("LLM-032"),
    /** The tool exited normally but reported an error in its output. */
    TOOL_REPORTED_ERROR("LLM-033"),
    /** The tool's vendor API rejected the credentials. */
    TOOL_AUTHENTICATION("LLM-034"),
    /** The tool's output could not be parsed as its declared format. */
    TOOL_OUTPUT_INVALID("LLM-035"),
    /** The tool could not be started or its I/O failed. */
    TOOL_IO("LLM-036"),
    /** Every candidate of the plan was tried and failed. */
    ALL_CANDIDATES_FAILED("LLM-040"),
    /** The call was cancelled, or the calling thread was interrupted. */
    CANCELLED("LLM-041"),
    /** The service was used after {@link LlmService#close()}. */
    SERVICE_CLOSED("LLM-042"),
    /**
     * The telemetry store could not be opened, migrated or written: a corrupted or foreign file at
     * the telemetry path, a path that is not writable, a schema newer than this build, or a write
     * that failed.
     */
    TELEMETRY_STORE("LLM-050");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    /** The short stable identifier, such as {@code LLM-001}, used in messages and docs. */
    public String id() {
        return id;
    }
}
