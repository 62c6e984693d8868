package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.ReportQuery;
import io.llmservice.SpendReport;
import io.llmservice.StatsDimension;
import io.llmservice.StatsPeriod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code llm-service report}: the spend report of a period as one self-contained HTML file
 * ({@link LlmService#report}, {@link LlmService#writeReport}), written atomically; prints its path.
 */
@Command(name = "report", sortOptions = false,
        description = {"Write an HTML spend report: spend per day, budget burn-down, tokens by model, latency per"
                + " tool and outcomes per agent, with a table under each chart. One file, no network access when"
                + " opened. Days are cut in policies.timezone."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service report -o spend.html",
                "  llm-service report --period month --from 2026-11-01 -o nov.html",
                "  llm-service report --from 2026-11-01 --to 2026-11-15 --by team -o a.html"})
final class ReportCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Option(names = "--period", paramLabel = "PERIOD",
            description = "day, week or month: the one holding --from, or the current one (default: month).")
    StatsPeriod period;

    @Option(names = "--from", paramLabel = "D",
            description = "From (inclusive): a date 2026-11-01 (start of day in policies.timezone) or an instant.")
    String from;

    @Option(names = "--to", paramLabel = "D",
            description = "To (exclusive), with --from and without --period: a date or an instant (default: now).")
    String to;

    @Option(names = "--by", paramLabel = "DIMENSION", defaultValue = "agent",
            description = "Stack spend per day by agent, team, model or tool (default: ${DEFAULT-VALUE}).")
    StatsDimension by;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "The HTML file to write.")
    Path output;

    @Option(names = "--whatif", paramLabel = "PROPOSED",
            description = "Add a 'What if' section: the report's requests replayed under this proposed configuration"
                    + " (as 'llm-service whatif --config PROPOSED' over the same window).")
    Path whatIf;

    @Mixin
    CommonOptions common = new CommonOptions();

    ReportCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        if (period != null && to != null) {
            throw new UsageException("--period " + period.yamlName() + " and --to '" + to + "' cannot be combined",
                    "give --period (with --from for a past one) or --from and --to");
        }
        if (to != null && from == null) {
            throw new UsageException("--to '" + to + "' needs --from", "give the window's start with --from");
        }
        try (LlmService llm = ServiceOpener.open(env, common, List.of())) {
            ZoneId zone = llm.config().policies().timezone();
            ReportQuery.Builder q = ReportQuery.builder().by(by);
            if (period != null) {
                q.period(period);
            }
            if (from != null) {
                q.from(TimeBound.parse("--from", from, zone));
            }
            if (to != null) {
                q.to(TimeBound.parse("--to", to, zone));
            }
            ReportQuery query;
            try {
                query = q.build();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), "--from must be before --to");
            }
            SpendReport report = llm.report(query);
            if (llm.config().policies().telemetry().store().equals("memory")) {
                env.err().println("note: the 'memory' telemetry store holds only this process's calls;"
                        + " set policies.telemetry.store: h2 for a report across runs");
            }
            Path file = env.workingDirectory().resolve(output).toAbsolutePath().normalize();
            io.llmservice.WhatIfReport replay = null;
            if (whatIf != null) {
                io.llmservice.config.LlmConfig proposed = LlmService.builder()
                        .config(env.workingDirectory().resolve(whatIf)).environment(env.variables()).loadConfig();
                replay = llm.whatIf(proposed, io.llmservice.StatsQuery.builder().since(report.from())
                        .until(report.to()).zone(zone).build());
            }
            write(llm, report, replay, file);
            env.out().println(file);
            env.out().flush();
            return ExitCodes.OK;
        }
    }

    /** Written through {@link AtomicFile}: a reader never sees half a page. */
    private static void write(LlmService llm, SpendReport report, io.llmservice.WhatIfReport whatIf, Path file)
            throws IOException {
        AtomicFile.write(file, w -> {
            if (whatIf == null) {
                llm.writeReport(report, w);
            } else {
                llm.writeReport(report, whatIf, w);
            }
        });
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
