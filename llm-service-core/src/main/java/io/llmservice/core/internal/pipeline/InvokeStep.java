package io.llmservice.core.internal.pipeline;

import io.llmservice.Attempt;
import io.llmservice.CallCancelledException;
import io.llmservice.ErrorCode;
import io.llmservice.LlmServiceException;
import io.llmservice.Outcome;
import io.llmservice.ToolException;
import io.llmservice.ToolExitException;
import io.llmservice.ToolNotInstalledException;
import io.llmservice.ToolReportedErrorException;
import io.llmservice.ToolTimeoutException;
import io.llmservice.Usage;
import io.llmservice.config.ModelDefinition;
import io.llmservice.spi.Redactor;
import io.llmservice.spi.ToolAdapter;
import io.llmservice.spi.ToolInvocation;
import io.llmservice.spi.ToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal attempt step: hands the invocation to the tool's adapter, prices the result and
 * turns every failure into a failed {@link Attempt}.
 */
public final class InvokeStep implements AttemptStep {
    private static final Logger LOG = LoggerFactory.getLogger(InvokeStep.class);

    private final Map<String, ToolAdapter> adapters;
    private final Redactor redactor;
    private final CostCalculator costs = new CostCalculator();

    private final Map<String, ModelDefinition> models;

    /** @param redactor masks secrets in what an adapter's unexpected exception says */
    public InvokeStep(Map<String, ToolAdapter> adapters, Redactor redactor) {
        this(adapters, Map.of(), redactor);
    }

    /**
     * @param models   the catalogue's models, to price each model's share of a per-model breakdown
     * @param redactor masks secrets in what an adapter's unexpected exception says
     */
    public InvokeStep(Map<String, ToolAdapter> adapters, Map<String, ModelDefinition> models, Redactor redactor) {
        this.adapters = Map.copyOf(adapters);
        this.models = Map.copyOf(models);
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    @Override
    public AttemptResult handle(AttemptContext at, AttemptChain next) {
        Exchange ex = at.exchange();
        String toolName = at.tool().name();
        String modelId = at.model().id();
        ToolAdapter adapter = adapters.get(toolName);
        if (adapter == null) {
            throw new IllegalStateException("no adapter for tool " + toolName);
        }
        Duration timeout = ex.request().timeout().orElse(at.tool().timeout());
        String toolModel = at.tool().toolModelName(modelId).orElse(modelId);
        ToolInvocation.Builder builder = ToolInvocation.builder(ex.request().prompt()).requestId(ex.requestId())
                .attempt(at.number()).model(modelId, toolModel).timeout(timeout)
                .workingDirectory(ex.request().workingDirectory()).cancellation(ex.cancellation());
        if (ex.request().keepsSession()) {
            // The session continues only on its own tool; any other tool starts a new one.
            ex.request().session().filter(s -> s.tool().equals(toolName))
                    .ifPresentOrElse(s -> builder.resumeSession(s.id()), builder::newSession);
        }
        ToolInvocation invocation = builder.build();
        try {
            if (ex.cancellation().isCancelled()) {
                throw new CallCancelledException("call cancelled before " + toolName + " started");
            }
            ToolResult result = adapter.invoke(invocation);
            CostCalculator.Priced priced = costs.price(result, at.model(), id -> Optional.ofNullable(models.get(id)));
            CostCalculator.Cost cost = priced.cost();
            if (!result.modelUsage().isEmpty()) {
                result = result.toBuilder().modelUsage(priced.modelUsage()).build();
            }
            Attempt attempt = Attempt.succeeded(at.number(), toolName, modelId, at.startedAt(), at.elapsed(),
                    result.usage(), cost.usd(), cost.source(), result.exitCode());
            return AttemptResult.success(attempt, result);
        } catch (LlmServiceException e) {
            return AttemptResult.failure(Attempt.failed(at.number(), toolName, modelId, outcomeOf(e), at.startedAt(),
                    at.elapsed(), Usage.unknown(), exitCodeOf(e), e));
        } catch (RuntimeException e) {
            // An adapter bug must not take the pipeline down or skip telemetry. Its message may quote
            // what a vendor answered (a key, a token): masked, and the raw exception is not attached.
            ToolException wrapped = new ToolException(ErrorCode.TOOL_IO, toolName, "adapter failed: "
                    + e.getClass().getName() + ": " + redactor.redact(String.valueOf(e.getMessage())), false);
            LOG.debug("adapter of tool '{}' failed with {} at {}", toolName, e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            return AttemptResult.failure(Attempt.failed(at.number(), toolName, modelId, Outcome.FAILED,
                    at.startedAt(), at.elapsed(), Usage.unknown(), -1, wrapped));
        }
    }

    static Outcome outcomeOf(LlmServiceException e) {
        if (e instanceof ToolTimeoutException) {
            return Outcome.TIMEOUT;
        }
        if (e instanceof ToolNotInstalledException) {
            return Outcome.NOT_INSTALLED;
        }
        if (e instanceof CallCancelledException) {
            return Outcome.CANCELLED;
        }
        return switch (e.code()) {
            case BUDGET_EXCEEDED -> Outcome.BUDGET_BLOCKED;
            case RATE_LIMITED -> Outcome.RATE_LIMITED;
            default -> Outcome.FAILED;
        };
    }

    private static int exitCodeOf(LlmServiceException e) {
        if (e instanceof ToolExitException x) {
            return x.exitCode();
        }
        if (e instanceof ToolReportedErrorException r) {
            return r.exitCode();
        }
        return -1;
    }
}
