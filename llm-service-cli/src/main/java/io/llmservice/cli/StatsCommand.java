package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.StatsDimension;
import io.llmservice.StatsFormat;
import io.llmservice.StatsPeriod;
import io.llmservice.StatsQuery;
import io.llmservice.StatsReport;
import io.llmservice.StatsRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringWriter;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code llm-service stats}: totals per period and group from the telemetry store, as an aligned
 * table (the default), JSON or CSV (the latter two written by {@link LlmService#writeStats}).
 */
@Command(name = "stats", sortOptions = false,
        description = {"Report requests, success rate, tokens, cost and p50/p95 latency per period and group.",
                "Periods are cut in policies.timezone. With the memory telemetry store only this process's"
                        + " calls are seen; use policies.telemetry.store: h2 for stats across runs."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service stats --period month --by team --since 2026-11-01",
                "  llm-service stats --format csv --output spend.csv"})
final class StatsCommand implements Callable<Integer>, ErrorReporter.Verbosity {

    /** Output formats of the command. */
    enum Format { TABLE, JSON, CSV }

    private final CliEnvironment env;

    @Option(names = "--period", paramLabel = "PERIOD", defaultValue = "month",
            description = "Bucket size: day, week or month (default: ${DEFAULT-VALUE}).")
    StatsPeriod period;

    @Option(names = "--by", paramLabel = "DIMENSION", defaultValue = "agent",
            description = "Group by agent, team, model or tool (default: ${DEFAULT-VALUE}).")
    StatsDimension by;

    @Option(names = "--since", paramLabel = "D",
            description = "From (inclusive): a date 2026-11-01 (start of day in policies.timezone) or an instant.")
    String since;

    @Option(names = "--until", paramLabel = "D", description = "To (exclusive): a date or an instant.")
    String until;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin
    CommonOptions common = new CommonOptions();

    StatsCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        try (LlmService llm = ServiceOpener.open(env, common, List.of())) {
            ZoneId zone = llm.config().policies().timezone();
            StatsQuery.Builder q = StatsQuery.builder().period(period).groupBy(by).zone(zone);
            if (since != null) {
                q.since(TimeBound.parse("--since", since, zone));
            }
            if (until != null) {
                q.until(TimeBound.parse("--until", until, zone));
            }
            StatsQuery query;
            try {
                query = q.build();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), "--since must be before --until");
            }
            StatsReport report = llm.stats(query);
            if (llm.config().policies().telemetry().store().equals("memory")) {
                env.err().println("note: the 'memory' telemetry store holds only this process's calls;"
                        + " set policies.telemetry.store: h2 for stats across runs");
            }
            String text;
            if (format == Format.TABLE) {
                text = table(report);
            } else {
                StringWriter w = new StringWriter();
                llm.writeStats(report, format == Format.JSON ? StatsFormat.JSON : StatsFormat.CSV, w);
                text = w.toString();
                if (format == Format.JSON && !text.endsWith("\n")) {
                    text += "\n";
                }
            }
            String charges = expiryCharges(llm.budgets());
            if (format == Format.TABLE) {
                text += charges;
            } else if (!charges.isEmpty()) {
                env.err().print(charges);   // JSON and CSV stay machine-readable
                env.err().flush();
            }
            write(text);
            return ExitCodes.OK;
        }
    }

    /**
     * One line per budget whose current period holds reservations charged at expiry (calls whose
     * process died before settling), or "" when none does.
     */
    static String expiryCharges(List<io.llmservice.BudgetStatus> budgets) {
        StringBuilder sb = new StringBuilder();
        for (io.llmservice.BudgetStatus b : budgets) {
            if (b.expiryCharges() > 0) {
                sb.append("budget '").append(b.name()).append("' (").append(b.period()).append("): $")
                        .append(b.expiryChargedUsd().stripTrailingZeros().toPlainString()).append(" charged at expiry for ")
                        .append(b.expiryCharges()).append(b.expiryCharges() == 1 ? " call" : " calls")
                        .append(" that never settled (process died); spent $")
                        .append(b.spentUsd().stripTrailingZeros().toPlainString()).append(" includes it\n");
            }
        }
        return sb.toString();
    }

    private void write(String text) throws IOException {
        AtomicFile.writeOrPrint(env, output, text);
    }

    static String table(StatsReport report) {
        TextTable t = new TextTable(List.of("PERIOD", by(report), "REQUESTS", "OK%", "ATTEMPTS", "INPUT", "OUTPUT",
                "CACHE_READ", "CACHE_WRITE", "COST_USD", "P50_MS", "P95_MS"), Set.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
        for (StatsRow r : report.rows()) {
            t.add(List.of(r.period(), r.group().isEmpty() ? "(none)" : r.group(), Long.toString(r.requests()),
                    String.format(Locale.ROOT, "%.1f", r.successRate() * 100), Long.toString(r.attempts()),
                    Long.toString(r.inputTokens()), Long.toString(r.outputTokens()),
                    Long.toString(r.cacheReadTokens()), Long.toString(r.cacheWriteTokens()),
                    r.costUsd().setScale(4, RoundingMode.HALF_UP).toPlainString(),
                    Long.toString(r.p50Latency().toMillis()), Long.toString(r.p95Latency().toMillis())));
        }
        String rendered = t.render();
        if (report.rows().isEmpty()) {
            rendered += "(no invocations recorded" + report.query().since().map(s -> " since " + s).orElse("")
                    + report.query().until().map(u -> " until " + u).orElse("") + ")\n";
        }
        return rendered;
    }

    private static String by(StatsReport report) {
        return report.query().groupBy().name();
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
