package io.llmservice.core.internal.config;

import io.llmservice.Complexity;
import io.llmservice.config.BudgetPeriod;
import io.llmservice.config.LimitType;
import io.llmservice.config.OnExceed;
import io.llmservice.config.OnLimit;
import io.llmservice.config.OsFamily;
import io.llmservice.config.OutputField;
import io.llmservice.config.OutputFormat;
import io.llmservice.config.Privacy;
import io.llmservice.config.Secret;
import io.llmservice.config.WhenDown;
import io.llmservice.config.PromptMode;
import io.llmservice.config.ScopeKind;
import io.llmservice.config.Tier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The configuration as bound from YAML, before validation: defaults of optional keys filled
 * in, required keys {@code null} when absent, values {@code null} when they were unusable (a
 * problem was already reported). Hibernate Validator checks the constraints declared here;
 * component names are the camel-case form of the YAML keys, which is how a violation's
 * property path maps back to a YAML path. Only built into the public records once every
 * problem is resolved.
 */
record ConfigBinding(Map<String, @Valid Model> models, Map<String, @Valid Tool> tools,
                     Map<String, @Valid Agent> agents, @NotNull @Valid Policies policies) {

    static final String REQUIRED = "is required; add it";

    record Model(@NotBlank(message = REQUIRED) String provider,
                 @NotNull(message = REQUIRED) Tier tier,
                 @NotNull(message = REQUIRED) @Positive(message = "must be > 0") Long contextWindow,
                 @NotNull(message = REQUIRED) @Valid Pricing pricing,
                 LocalDate pricesAsOf) {
    }

    record Pricing(
            @NotNull(message = REQUIRED)
            @DecimalMin(value = "0", inclusive = false, message = "must be > 0") BigDecimal input,
            @NotNull(message = REQUIRED)
            @DecimalMin(value = "0", inclusive = false, message = "must be > 0") BigDecimal output,
            @NotNull(message = "is required; add it (write 0 if the vendor does not charge it)")
            @DecimalMin(value = "0", message = "must be >= 0") BigDecimal cacheRead,
            @NotNull(message = "is required; add it (write 0 if the vendor does not charge it)")
            @DecimalMin(value = "0", message = "must be >= 0") BigDecimal cacheWrite) {
    }

    record Tool(@NotBlank(message = REQUIRED) String type,
                String binary,
                Map<OsFamily, String> binaryByOs,
                List<String> args,
                List<String> argsPrepend,
                List<String> argsAppend,
                PromptMode prompt,
                Map<String, String> env,
                @NotEmpty(message = "must list at least one model (catalogue id: the name the tool uses for it)")
                Map<String, String> models,
                @Valid Output output,
                Duration timeout,
                List<String> retriableWhen,
                @NotEmpty(message = "must not be empty; the default is [\"--version\"]") List<String> versionArgs,
                @Positive(message = "must be > 0") Long maxOutputBytes,
                Map<String, String> options,
                Boolean leaveDescendants,
                io.llmservice.config.ErrorSpec errors,
                io.llmservice.config.SettingsFile settingsFile,
                io.llmservice.config.ScratchDir scratchDir,
                Session session) {
    }

    /** {@code session:} of a tool; the lists as written, empty when a key is absent. */
    record Session(List<String> ephemeral, List<String> start, List<String> resume, List<String> id) {
    }

    /** {@code paths} has one entry per field written; each list holds the JSONPaths as written. */
    record Output(@NotNull(message = "is required; add it (json, jsonl or text)") OutputFormat format,
                  Map<OutputField, List<String>> paths,
                  Boolean inputIncludesCacheRead,
                  @Valid ModelUsage modelUsage) {
    }

    /** {@code output.model_usage}: null when absent; {@code fields} holds the per-entry paths written. */
    record ModelUsage(@NotBlank(message = REQUIRED + " (JSONPath of the object keyed by model id)") String path,
                      Map<OutputField, String> fields) {
    }

    record Agent(String team,
                 @NotBlank(message = REQUIRED) String tool,
                 @NotBlank(message = REQUIRED) String model,
                 List<@Valid Target> fallbacks,
                 List<String> tools) {
    }

    record Target(@NotBlank(message = REQUIRED) String tool, @NotBlank(message = REQUIRED) String model) {
    }

    record Policies(@Valid Routing routing, List<@Valid Budget> budgets, List<@Valid RateLimit> rateLimits,
                    @Valid Telemetry telemetry, ZoneId timezone, String defaultAgent,
                    @NotNull(message = REQUIRED) @DecimalMin(value = "0", inclusive = false, message = "must be > 0")
                    BigDecimal maxReservationUsd, io.llmservice.config.CooldownPolicy cooldown) {
    }

    record Routing(@NotBlank(message = REQUIRED) String strategy,
                   @PositiveOrZero(message = "must be >= 0") Long smallPromptTokens,
                   Map<Complexity, Tier> complexityTiers) {
    }

    record Budget(@NotBlank(message = REQUIRED) String name,
                  @NotBlank(message = REQUIRED) String type,
                  @NotNull(message = "is required; write scope: \\{\\} for a budget over every call")
                  Map<ScopeKind, String> scope,
                  @NotNull(message = "is required; add it (daily, weekly or monthly)") BudgetPeriod period,
                  @NotNull(message = REQUIRED) @Valid Limit limit,
                  @DecimalMin(value = "0", inclusive = false, message = "must be in (0, 1], e.g. 0.8")
                  @DecimalMax(value = "1", message = "must be in (0, 1], e.g. 0.8") BigDecimal warnAt,
                  OnExceed onExceed,
                  @DecimalMin(value = "0", inclusive = false, message = "must be > 0 (US dollars), e.g. 0.02")
                  BigDecimal reserveUsd) {
    }

    record Limit(@NotNull(message = REQUIRED) @DecimalMin(value = "0", inclusive = false, message = "must be > 0")
                 BigDecimal usd,
                 LimitType type) {
    }

    record RateLimit(@NotNull(message = "is required; write scope: \\{\\} for a limit over every call")
                     Map<ScopeKind, String> scope,
                     @Positive(message = "must be > 0") Long requestsPerMinute,
                     @Positive(message = "must be > 0") Long tokensPerMinute,
                     OnLimit onLimit,
                     Duration maxWait) {
    }

    record Telemetry(@NotBlank(message = REQUIRED) String store, Path path, Privacy privacy, String url, String user,
                     Secret password,
                     @DecimalMin(value = "1", message = "must be in 1..64, e.g. 4")
                     @DecimalMax(value = "64", message = "must be in 1..64, e.g. 4")
                     Long poolSize,
                     Duration connectTimeout, WhenDown whenDown) {
    }
}
