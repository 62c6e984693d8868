package io.llmservice.core.internal.cooldown;

import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolReportedErrorException;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A failure that counts towards a cooldown, in a few words: the vendor API refused the
 * credentials, answered 429 (rate limit, quota) or a 5xx. Timeouts, a tool not installed, an API
 * that could not be reached, a budget or rate-limit refusal of our own and other errors (a bad
 * request) do not count: another attempt of the same pair may well get through.
 *
 * <p>The HTTP status the tool reported decides; a tool that reports none counts when its retriable
 * failure says "rate limit", "quota", "overloaded" and the like (the wording of the tools'
 * {@code retriable_when}).
 *
 * @param authentication whether it was an authentication failure (cools down at once)
 * @param reason         e.g. {@code HTTP 429}, {@code authentication failed (HTTP 401)}
 */
public record CountingFailure(boolean authentication, String reason) {

    private static final Pattern RATE_LIMIT = Pattern.compile(
            "rate[ _-]?limit|too many requests|quota|resource[ _]exhausted|high demand|(?<![\\w.])429(?![\\w.])",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SERVER_ERROR = Pattern.compile(
            "overloaded|internal server error|service unavailable|bad gateway|gateway timeout"
                    + "|(?<![\\w.])(?:500|502|503|504|529)(?![\\w.])",
            Pattern.CASE_INSENSITIVE);
    /** How {@code FailureClassifier} says the API was never reached: not the pair's fault. */
    private static final String UNREACHABLE = "could not reach the API";

    /** The counting failure {@code e} is, if it is one. */
    public static Optional<CountingFailure> of(LlmServiceException e) {
        OptionalInt status = e instanceof ToolReportedErrorException r ? r.errorStatus() : OptionalInt.empty();
        if (e.code() == ErrorCode.TOOL_AUTHENTICATION) {
            return Optional.of(new CountingFailure(true, "authentication failed"
                    + (status.isPresent() ? " (HTTP " + status.getAsInt() + ")" : "")));
        }
        if (status.isPresent()) {
            int s = status.getAsInt();
            return s == 429 || (s >= 500 && s <= 599) ? Optional.of(new CountingFailure(false, "HTTP " + s))
                    : Optional.empty();
        }
        boolean toolFailure = e instanceof ToolExitException || e instanceof ToolReportedErrorException;
        if (!toolFailure || !((ToolException) e).retriable() || e.getMessage().contains(UNREACHABLE)) {
            return Optional.empty();
        }
        if (RATE_LIMIT.matcher(e.getMessage()).find()) {
            return Optional.of(new CountingFailure(false, "rate limited"));
        }
        if (SERVER_ERROR.matcher(e.getMessage()).find()) {
            return Optional.of(new CountingFailure(false, "server error"));
        }
        return Optional.empty();
    }
}
