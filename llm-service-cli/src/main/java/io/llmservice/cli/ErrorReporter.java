package io.llmservice.cli;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * Turns every failure into one line on stderr plus a hint line, and the documented exit code.
 * A stack trace is printed only with {@code --verbose}. A configuration error is the one
 * exception to "one line": it prints each problem on its own {@code file:line:column:} line; so
 * does a failed fallback chain, one line per attempt and per skipped candidate ({@link FailedChainReport}).
 *
 * <pre>
 * error: unknown agent 'reviewr'; configured agents: code-reviewer, doc-writer [LLM-004]
 * hint: 'llm-service route --explain --agent NAME PROMPT' shows how a request would be routed
 * </pre>
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private static final String GENERIC_HINT = "rerun with --verbose for details; docs/errors.md explains each code";

    private final CliEnvironment env;

    ErrorReporter(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        PrintStream err = env.err();
        err.println("error: " + oneLine(ex.getMessage()));
        CommandLine cmd = ex.getCommandLine();
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            err.println("hint: did you mean " + String.join(" or ", unmatched.getSuggestions())
                    + "? A prompt starting with '-' goes after '--': llm-service exec -- \"--like this\"");
        } else {
            err.println("hint: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        }
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        return report(ex, verbose(commandLine));
    }

    int report(Exception ex, boolean verbose) {
        PrintStream err = env.err();
        int code;
        String hint;
        if (ex instanceof ConfigException config) {
            err.println("error: invalid configuration: " + config.problems().size()
                    + (config.problems().size() == 1 ? " problem" : " problems") + " [" + config.code().id() + "]");
            for (ConfigProblem p : config.problems()) {
                err.println(p);
            }
            code = ExitCodes.USAGE;
            hint = "fix each line above ('llm-service config validate' checks again); docs/configuration.md has every key";
        } else if (ex instanceof LlmServiceException e) {
            if (e instanceof AllCandidatesFailedException chain) {
                // Every attempt on its own line: the last failure alone hides why the earlier ones failed.
                FailedChainReport.print(chain, err, ErrorReporter::specificHint);
            } else {
                err.println("error: " + oneLine(e.getMessage()) + " [" + e.code().id() + "]");
            }
            // A command that failed and then could not close the service: the lost records are reported too.
            for (Throwable suppressed : e.getSuppressed()) {
                if (suppressed instanceof LlmServiceException s && s.code() == ErrorCode.TELEMETRY_STORE) {
                    err.println("error: " + oneLine(s.getMessage()) + " [" + s.code().id() + "]");
                }
            }
            code = ExitCodes.of(e);
            hint = e instanceof AllCandidatesFailedException chain
                    ? FailedChainReport.lastFailure(chain).flatMap(ErrorReporter::specificHint).orElse(hint(e.code()))
                    : e.code() == ErrorCode.TELEMETRY_STORE && e.getMessage() != null
                    && e.getMessage().contains("jdbc:postgresql:") ? POSTGRES_STORE_HINT : hint(e.code());
        } else if (ex instanceof UsageException e) {
            err.println("error: " + oneLine(e.getMessage()));
            code = ExitCodes.USAGE;
            hint = e.hint();
        } else if (ex instanceof UncheckedIOException || ex instanceof java.io.IOException) {
            err.println("error: " + oneLine(String.valueOf(ex.getMessage())));
            code = ExitCodes.TOOL_FAILURE;
            hint = "check the path and its permissions";
        } else {
            err.println("error: unexpected " + ex.getClass().getSimpleName() + ": " + oneLine(String.valueOf(ex.getMessage())));
            code = ExitCodes.TOOL_FAILURE;
            hint = "rerun with --verbose for the stack trace, and report it if it looks like a bug";
        }
        err.println("hint: " + hint);
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The hint for a PostgreSQL store's failure (its messages name the store by its JDBC URL). */
    static final String POSTGRES_STORE_HINT = "check that PostgreSQL runs and is reachable at policies.telemetry.url,"
            + " and the user and its password variable; 'llm-service telemetry check' tries the connection;"
            + " docs/team.md";

    /** The hint for {@code code}, empty when there is nothing more specific than "see docs/errors.md". */
    static java.util.Optional<String> specificHint(ErrorCode code) {
        String hint = hint(code);
        return hint.equals(GENERIC_HINT) ? java.util.Optional.empty() : java.util.Optional.of(hint);
    }

    private static String hint(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST -> "'llm-service config validate' lists what is configured; "
                    + "'llm-service route --explain ...' shows how a request would be routed";
            case PROVIDER_MISSING, PROVIDER_CONFLICT -> "check the type:/strategy:/store: names against docs/configuration.md";
            case NO_ROUTE -> "'llm-service route --explain ...' says why each candidate was excluded; 'llm-service tools'"
                    + " shows what is installed and cooling down ('llm-service tools --reset-cooldown' ends cooldowns)";
            case TOOL_NOT_INSTALLED -> "'llm-service tools' shows which tools are installed and where";
            case TOOL_TIMEOUT -> "raise --timeout or the tool's timeout: in the configuration";
            case TOOL_AUTHENTICATION -> "log the tool in (or set its API key) and try again; see docs/errors.md";
            case BUDGET_EXCEEDED -> "wait for the next budget period, raise the limit in policies.budgets, or use on_exceed: downgrade";
            case RATE_LIMITED -> "retry later, or raise policies.rate_limits";
            case BUDGET_UNAVAILABLE -> "the telemetry store keeping the budgets could not be reached or failed (the"
                    + " message says which): bring it back (policies.telemetry url or path) and retry; see"
                    + " docs/errors.md (LLM-022)";
            case CANCELLED -> "the call was cancelled; nothing is left running";
            case TELEMETRY_STORE -> "check policies.telemetry.path: free disk space, permissions, or move a damaged"
                    + " file aside; docs/telemetry.md lists each case";
            default -> GENERIC_HINT;
        };
    }

    /** Multi-line messages (fallback chains, plans, stderr tails) folded into one line. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining(" | ")).replace(": | ", ": ");
    }

    private static boolean verbose(CommandLine commandLine) {
        Object command = commandLine.getCommand();
        return command instanceof Verbosity v && v.verbose();
    }

    /** Implemented by commands, so the handler knows whether {@code --verbose} was given. */
    interface Verbosity {
        boolean verbose();
    }
}
