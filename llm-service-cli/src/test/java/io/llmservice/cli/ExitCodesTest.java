package io.llmservice.cli;

import io.llmservice.AllCandidatesFailedException;
import io.llmservice.Attempt;
import io.llmservice.BudgetExceededException;
import io.llmservice.CallCancelledException;
import io.llmservice.ConfigException;
import io.llmservice.ConfigProblem;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.RateLimitedException;
import io.llmservice.RoutePlan;
import io.llmservice.ToolExitException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExitCodesTest {
    private static final RoutePlan PLAN = new RoutePlan("a", "preference", 1, List.of());

    private static Attempt failed(int n, LlmServiceException e) {
        return Attempt.failed(n, "t", "m", Outcome.FAILED, Instant.EPOCH, Duration.ZERO, Usage.unknown(), -1, e);
    }

    @Test
    void of_mapsEachFailureClass() {
        assertThat(ExitCodes.of(new ConfigException(List.of(new ConfigProblem("f", 1, 1, "p", "m"))))).isEqualTo(2);
        assertThat(ExitCodes.of(new LlmServiceException(ErrorCode.INVALID_REQUEST, "x"))).isEqualTo(2);
        assertThat(ExitCodes.of(new LlmServiceException(ErrorCode.PROVIDER_MISSING, "x"))).isEqualTo(2);
        assertThat(ExitCodes.of(new ToolExitException("t", 3, "", "", false))).isEqualTo(1);
        assertThat(ExitCodes.of(new ToolTimeoutException("t", Duration.ofSeconds(1)))).isEqualTo(1);
        assertThat(ExitCodes.of(new LlmServiceException(ErrorCode.NO_ROUTE, "x"))).isEqualTo(1);
        assertThat(ExitCodes.of(new BudgetExceededException("b", "daily", BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ZERO, BigDecimal.ONE))).isEqualTo(3);
        assertThat(ExitCodes.of(new RateLimitedException("{global}", Duration.ofSeconds(1), "x"))).isEqualTo(4);
        assertThat(ExitCodes.of(new CallCancelledException("x"))).isEqualTo(130);
    }

    @Test
    void of_allCandidatesFailed_isAToolFailure_unlessEveryAttemptWasRefused() {
        RateLimitedException limited = new RateLimitedException("{global}", Duration.ofSeconds(1), "x");
        ToolExitException exit = new ToolExitException("t", 3, "", "", true);
        assertThat(ExitCodes.of(new AllCandidatesFailedException(PLAN, List.of(failed(1, exit), failed(2, limited)))))
                .isEqualTo(1);
        assertThat(ExitCodes.of(new AllCandidatesFailedException(PLAN, List.of(failed(1, limited), failed(2, limited)))))
                .isEqualTo(4);
    }

    @Test
    void report_foldsAMultiLineMessageIntoOneLine_plusAHint() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliEnvironment env = new CliEnvironment(Map.of(), Path.of("."), Path.of("."), InputStream.nullInputStream(),
                ps, ps, false);
        ToolExitException e = new ToolExitException("codex", 3, "line one\nline two\n", "", false);

        int code = new ErrorReporter(env).report(e, false);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "error: tool 'codex': exited with status 3; stderr: line one | line two [LLM-032]\n"
                        + "hint: rerun with --verbose for details; docs/errors.md explains each code\n");
    }

    @Test
    void report_telemetryStoreFailure_hintsAtTheStoreItNames() {
        assertThat(reported(new LlmServiceException(ErrorCode.TELEMETRY_STORE, "telemetry: cannot connect to"
                + " PostgreSQL at jdbc:postgresql://db.internal:5432/llm (user llm): Connection refused")))
                .contains("hint: check that PostgreSQL runs and is reachable at policies.telemetry.url")
                .doesNotContain("policies.telemetry.path");
        assertThat(reported(new LlmServiceException(ErrorCode.TELEMETRY_STORE, "cannot open the telemetry database"
                + " at /home/u/.local/share/llm-service/telemetry: disk full")))
                .contains("hint: check policies.telemetry.path");
    }

    private static String reported(LlmServiceException e) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliEnvironment env = new CliEnvironment(Map.of(), Path.of("."), Path.of("."), InputStream.nullInputStream(),
                ps, ps, false);
        new ErrorReporter(env).report(e, false);
        return err.toString(StandardCharsets.UTF_8);
    }
}
