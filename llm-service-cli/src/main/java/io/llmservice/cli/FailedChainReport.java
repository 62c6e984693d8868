package io.llmservice.cli;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.Candidate;
import io.llmservice.ErrorCode;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A fallback chain that ended without an answer, as the CLI prints it: the headline, then one
 * line per attempt (tool/model, outcome, exit status, time, the reason, a hint when there is one
 * for that kind of failure), then one line per candidate skipped before running and per candidate
 * not tried, each with why.
 *
 * <pre>
 * error: agent 'reviewer': every candidate failed (2 attempts, 1 skipped before running) [LLM-040]
 *   #1 codex/gpt-5-codex timeout after 30.0 s: timed out after 30000 ms [LLM-031]; hint: raise --timeout ...
 *   #2 claude-code/claude-sonnet-4-5 failed (exit 1) after 1.2 s: authentication failed: ... [LLM-034]; hint: log ...
 *   skipped gemini-cli/gemini-2.5-pro: not installed: 'gemini' not found (searched PATH /usr/bin:/bin)
 * </pre>
 */
final class FailedChainReport {
    private FailedChainReport() {
    }

    /**
     * Prints the report's lines (not the final {@code hint:} line) to {@code err}.
     *
     * @param hints the hint for an error code, empty when there is nothing more specific to say
     */
    static void print(AllCandidatesFailedException e, PrintStream err, Function<ErrorCode, Optional<String>> hints) {
        err.println("error: " + headline(e) + " [" + e.code().id() + "]");
        for (Attempt a : e.attempts()) {
            String hint = a.failure().flatMap(f -> hints.apply(f.code())).map(h -> "; hint: " + h).orElse("");
            err.println("  #" + a.number() + " " + a.summary() + hint);
        }
        for (Candidate c : e.plan().excluded()) {
            err.println("  skipped " + c.tool() + "/" + c.model() + ": " + c.reason());
        }
        for (Candidate c : e.notTried()) {
            err.println("  not tried " + c.tool() + "/" + c.model() + " (" + c.reason() + ")");
        }
    }

    /** The final hint: the one for the last attempt's failure. */
    static Optional<ErrorCode> lastFailure(AllCandidatesFailedException e) {
        List<Attempt> attempts = e.attempts();
        return attempts.isEmpty() ? Optional.empty()
                : attempts.get(attempts.size() - 1).failure().map(f -> f.code());
    }

    private static String headline(AllCandidatesFailedException e) {
        String message = String.valueOf(e.getMessage());
        String first = message.lines().findFirst().orElse("");
        return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
    }
}
