package io.llmservice.cli;

import io.llmservice.LlmService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code llm-service prune --older-than 90d}: deletes invocation records older than the given age
 * from the telemetry store ({@link LlmService#deleteTelemetryOlderThan}).
 */
@Command(name = "prune", sortOptions = false,
        description = {"Delete invocation records older than an age from the telemetry store.",
                "Budgets keep each period's settled spend, so pruning never gives budget room back."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service prune --older-than 90d", "  llm-service prune --older-than 720h"})
final class PruneCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Option(names = "--older-than", required = true, paramLabel = "AGE", converter = AgeConverter.class,
            description = "Records that started longer ago than this: 90d, 12h, 30m, or ISO-8601 (P90D).")
    Duration olderThan;

    @Mixin
    CommonOptions common = new CommonOptions();

    PruneCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try (LlmService llm = ServiceOpener.open(env, common, List.of())) {
            Instant cutoff = Instant.now().minus(olderThan);
            long deleted = llm.deleteTelemetryOlderThan(cutoff);
            env.out().println("deleted " + deleted + " record(s) that started before " + cutoff + " ("
                    + llm.config().policies().telemetry().store() + " store)");
            return ExitCodes.OK;
        }
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }

    /** Ages in days as well as the durations {@code --timeout} takes. */
    public static final class AgeConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        private final RequestOptions.DurationConverter durations = new RequestOptions.DurationConverter();

        public AgeConverter() {
        }

        @Override
        public Duration convert(String value) {
            String v = value.strip();
            if (v.matches("[0-9]{1,6}d")) {
                long days = Long.parseLong(v.substring(0, v.length() - 1));
                if (days == 0) {
                    throw new picocli.CommandLine.TypeConversionException("'" + value + "' must be a positive age");
                }
                return Duration.ofDays(days);
            }
            return durations.convert(v);
        }
    }
}
