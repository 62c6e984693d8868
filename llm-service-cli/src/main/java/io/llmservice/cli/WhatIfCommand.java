package io.llmservice.cli;

import io.llmservice.LlmService;
import io.llmservice.StatsFormat;
import io.llmservice.StatsQuery;
import io.llmservice.WhatIfBudget;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;
import io.llmservice.config.LlmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code llm-service whatif}: replays the recorded requests of a period under a proposed
 * configuration ({@link LlmService#whatIf}) and prints what they would have cost. {@code --config}
 * names the proposed configuration; the recorded requests come from the telemetry store of the
 * current one ({@code --recorded}, else found as every other command finds its configuration).
 */
@Command(name = "whatif", sortOptions = false,
        description = {"Replay the recorded requests of a period under a proposed configuration, without running"
                + " any tool: what they would have cost per agent and in total, which models they move to, what the"
                + " proposed budgets would have refused or downgraded. --config names the PROPOSED configuration;"
                + " the recorded requests are read from the telemetry store of the current one (--recorded, or"
                + " the usual lookup)."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service whatif --config proposed.yaml --since 30d",
                "  llm-service whatif --config proposed.yaml --from 2026-11-01 --format csv"})
final class WhatIfCommand implements Callable<Integer>, ErrorReporter.Verbosity {

    /** Output formats of the command. */
    enum Format { TEXT, JSON, CSV }

    private final CliEnvironment env;

    @Option(names = "--since", paramLabel = "AGE|D",
            description = "Replay what started since: an age (30d, 12h, P30D) or a date/instant. Default: the"
                    + " whole log.")
    String since;

    @Option(names = "--from", paramLabel = "D",
            description = "From (inclusive): a date 2026-11-01 (start of day in policies.timezone) or an instant.")
    String from;

    @Option(names = {"--to", "--until"}, paramLabel = "D",
            description = "To (exclusive): a date or an instant. Default: now. --until is the same option, as in stats.")
    String to;

    @Option(names = "--recorded", paramLabel = "PATH",
            description = "The current configuration, whose telemetry store holds the recorded requests. Default:"
                    + " found as 'llm-service --help' lists, ignoring --config.")
    Path recorded;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Mixin
    CommonOptions common = new CommonOptions();

    WhatIfCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException {
        Path proposedPath = common.config().orElseThrow(() -> new UsageException(
                "whatif needs the proposed configuration", "name it with --config proposed.yaml"));
        if (since != null && from != null) {
            throw new UsageException("--since and --from both set the start", "use one of them");
        }
        LlmConfig proposed = LlmService.builder().config(env.workingDirectory().resolve(proposedPath))
                .environment(env.variables()).loadConfig();
        ConfigLocator locator = new ConfigLocator(env);
        ConfigLocator.Location current = locator.locate(Optional.ofNullable(recorded)).orElseThrow(() ->
                locator.notFound("--recorded", "name the current configuration, whose telemetry store holds the"
                        + " recorded requests, with --recorded PATH (--config names the proposed one)"));
        if (sameFile(current.path(), env.workingDirectory().resolve(proposedPath))) {
            env.err().println("warning: the recorded requests' configuration " + current.path() + " (from "
                    + current.rule() + ") is the proposed one too: the replay compares it with itself; name the"
                    + " current configuration with --recorded");
        }
        if (common.verbose()) {
            env.err().println("recorded requests: the telemetry store of " + current.path() + " (from "
                    + current.rule() + "); proposed: " + proposedPath);
        }
        try (LlmService llm = ServiceOpener.open(env, common, current, List.of())) {
            ZoneId zone = llm.config().policies().timezone();
            StatsQuery.Builder q = StatsQuery.builder().zone(zone);
            Instant now = Instant.now();
            if (since != null) {
                q.since(sinceBound(since, zone, now));
            }
            if (from != null) {
                q.since(TimeBound.parse("--from", from, zone));
            }
            q.until(to != null ? TimeBound.parse("--to", to, zone) : now);
            StatsQuery query;
            try {
                query = q.build();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), "the start must be before --to");
            }
            if (llm.config().policies().telemetry().store().equals("memory")) {
                env.err().println("note: the 'memory' telemetry store holds only this process's calls: nothing to"
                        + " replay; set policies.telemetry.store: h2 to keep what you run");
            }
            WhatIfReport report = llm.whatIf(proposed, query);
            String text;
            if (format == Format.TEXT) {
                text = text(report);
            } else {
                StringWriter w = new StringWriter();
                llm.writeWhatIf(report, format == Format.JSON ? StatsFormat.JSON : StatsFormat.CSV, w);
                text = w.toString();
            }
            write(text);
            return ExitCodes.OK;
        }
    }

    /** An age before now (30d, 12h, P30D) or a date/instant. */
    static Instant sinceBound(String value, ZoneId zone, Instant now) {
        Duration age;
        try {
            age = new PruneCommand.AgeConverter().convert(value);
        } catch (Exception notAnAge) {
            try {
                return TimeBound.parse("--since", value, zone);
            } catch (UsageException notADate) {
                throw new UsageException("--since '" + value + "' is not an age, a date or an instant",
                        "write an age like 30d, 12h or P30D, a date like 2026-11-01 (start of day in " + zone
                                + ") or an instant like 2026-11-01T08:30:00Z");
            }
        }
        return now.minus(age);
    }

    /** Whether two paths name one file or directory (the same path when either cannot be read). */
    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    private void write(String text) throws IOException {
        AtomicFile.writeOrPrint(env, output, text);
    }

    /** The readable summary: totals, moves, budgets, what was left out, then the assumptions. */
    static String text(WhatIfReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("What if: ").append(r.requests()).append(" request(s) from ").append(r.from()).append(" to ")
                .append(r.to()).append(" replayed under routing strategy '").append(r.strategy()).append("'\n\n");
        TextTable costs = new TextTable(List.of("AGENT", "REQUESTS", "RECORDED_USD", "PROPOSED_USD", "DIFFERENCE_USD",
                "PERCENT"), Set.of(1, 2, 3, 4, 5));
        r.agents().forEach(c -> costs.add(costRow(c)));
        costs.add(costRow(r.total()));
        sb.append(costs.render());
        if (!r.moves().isEmpty()) {
            sb.append("\nRecorded -> proposed tool/model:\n");
            TextTable moves = new TextTable(List.of("RECORDED", "PROPOSED", "REQUESTS", "RECORDED_USD",
                    "PROPOSED_USD"), Set.of(2, 3, 4));
            for (WhatIfMove m : r.moves()) {
                moves.add(List.of(pair(m.fromTool(), m.fromModel()), pair(m.toTool(), m.toModel())
                        + (m.moved() ? "" : " (same)"), Long.toString(m.requests()), usd(m.recordedUsd()),
                        usd(m.proposedUsd())));
            }
            sb.append(moves.render());
        }
        if (!r.budgets().isEmpty()) {
            sb.append("\nProposed budgets:\n");
            TextTable budgets = new TextTable(List.of("BUDGET", "SCOPE", "LIMIT", "REFUSED", "DOWNGRADED", "OVER_SOFT",
                    "RAN_OUT_ON", "PERIODS_RUN_OUT"), Set.of(3, 4, 5, 7));
            for (WhatIfBudget b : r.budgets()) {
                budgets.add(List.of(b.budget().name(), b.budget().scope().toString(),
                        "$" + b.limitUsd().stripTrailingZeros().toPlainString() + " " + b.budget().period().yamlName()
                                + " " + b.budget().limitType().yamlName() + ", " + b.budget().onExceed().yamlName(),
                        Long.toString(b.refused()), Long.toString(b.downgraded()), Long.toString(b.over()),
                        b.ranOutOn().map(Object::toString).orElse("never"), Long.toString(b.periodsRunOut())));
            }
            sb.append(budgets.render());
        }
        if (!r.notReplayed().isEmpty()) {
            sb.append("\nNot replayed:\n");
            r.notReplayed().forEach(line -> sb.append("- ").append(line).append('\n'));
        }
        sb.append("\nAssumptions:\n");
        r.assumptions().forEach(line -> sb.append("- ").append(line).append('\n'));
        return sb.toString();
    }

    private static List<String> costRow(WhatIfCost c) {
        return List.of(c.agent(), Long.toString(c.requests()), usd(c.recordedUsd()), usd(c.proposedUsd()),
                usd(c.differenceUsd()), c.percent().map(p -> p.toPlainString() + "%").orElse("-"));
    }

    private static String pair(String tool, String model) {
        // a refused request's destination is "(refused by <budget>)" with no model
        return tool.isEmpty() ? "(none)" : model.isEmpty() ? tool : tool + "/" + model;
    }

    private static String usd(BigDecimal usd) {
        return usd.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
