package io.llmservice.cli;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;

import java.util.List;

/**
 * The documented exit codes and which failure gets which. Shown in every command's help and in
 * {@code docs/cli.md}.
 */
final class ExitCodes {
    static final int OK = 0;
    /**
     * The tool failed (non-zero exit, timeout, not installed, no route, every candidate failed), a telemetry
     * record could not be written (after the answer was printed), or another run-time error.
     */
    static final int TOOL_FAILURE = 1;
    /** Bad arguments, no or an invalid configuration, an unknown agent/tool/model. */
    static final int USAGE = 2;
    /** A hard budget refused the request. */
    static final int BUDGET_REFUSED = 3;
    /** A rate limit refused the request. */
    static final int RATE_LIMITED = 4;
    /** Interrupted (Ctrl-C, or SIGTERM while a call runs): the call was cancelled and the tool's process tree killed. */
    static final int INTERRUPTED = 130;

    /** The list every command's help ends with, code to meaning, in order. */
    static java.util.Map<String, String> help() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("0", "ok");
        m.put("1", "tool failure (non-zero exit, timeout, not installed, no route, all candidates failed), I/O error,"
                + " telemetry record not written");
        m.put("2", "usage or configuration error (bad option, no/invalid config, unknown agent/tool/model)");
        m.put("3", "refused by a hard budget");
        m.put("4", "refused by a rate limit");
        m.put("130", "interrupted (Ctrl-C, or SIGTERM while a call runs); the tool's process tree is killed");
        return m;
    }

    private ExitCodes() {
    }

    /** The exit code of a failure of the library. */
    static int of(LlmServiceException e) {
        if (e instanceof AllCandidatesFailedException all) {
            // Refusals are not tool failures even when they end a fallback chain.
            List<Attempt> attempts = all.attempts();
            if (!attempts.isEmpty() && attempts.stream().allMatch(a -> failedWith(a, ErrorCode.RATE_LIMITED))) {
                return RATE_LIMITED;
            }
            if (!attempts.isEmpty() && attempts.stream().allMatch(a -> failedWith(a, ErrorCode.BUDGET_EXCEEDED))) {
                return BUDGET_REFUSED;
            }
            return TOOL_FAILURE;
        }
        return switch (e.code()) {
            case CONFIG_INVALID, PROVIDER_CONFLICT, PROVIDER_MISSING, INVALID_REQUEST -> USAGE;
            case BUDGET_EXCEEDED -> BUDGET_REFUSED;
            case RATE_LIMITED -> RATE_LIMITED;
            case CANCELLED -> INTERRUPTED;
            default -> TOOL_FAILURE;
        };
    }

    private static boolean failedWith(Attempt a, ErrorCode code) {
        return a.failure().map(f -> f.code() == code).orElse(false);
    }
}
