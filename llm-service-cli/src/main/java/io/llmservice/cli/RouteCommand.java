package io.llmservice.cli;

import io.llmservice.BudgetStatus;
import io.llmservice.Candidate;
import io.llmservice.LlmService;
import io.llmservice.RoutePlan;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code llm-service route [--explain] [options] PROMPT}: the routing decision without running
 * anything. Plain, it prints the chosen {@code tool/model}; with {@code --explain}, every
 * candidate with why it was chosen, kept as a fallback or excluded, and the budgets that apply.
 */
@Command(name = "route", sortOptions = false,
        description = {"Show how a prompt would be routed, without running any tool.",
                "Prints the chosen tool/model; --explain adds every candidate, why it was chosen or excluded,"
                        + " and the budgets that apply to the chosen one."},
        footerHeading = "%nExamples:%n",
        footer = {"  llm-service route \"Summarise this\"",
                "  llm-service route --explain --complexity simple \"Summarise this\""})
final class RouteCommand implements Callable<Integer>, ErrorReporter.Verbosity {
    private final CliEnvironment env;

    @Option(names = "--explain", description = "Explain the whole plan: candidates, chosen, excluded and why; budgets.")
    boolean explain;

    @Mixin
    RequestOptions request = new RequestOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    RouteCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        try (LlmService llm = ServiceOpener.open(env, common, List.of())) {
            RoutePlan plan = llm.route(request.toRequest(env)).plan();
            if (explain) {
                env.out().println(render(plan, llm.config(), llm.budgets()));
            } else {
                env.out().println(plan.chosen().map(c -> c.tool() + "/" + c.model()).orElse("(no candidate may run)"));
            }
            // Either way a dry run: exit 1 when nothing may run, as exec would fail.
            return plan.chosen().isPresent() ? ExitCodes.OK : ExitCodes.TOOL_FAILURE;
        }
    }

    /** The explanation: header, candidates grouped by verdict, budgets matching the chosen candidate. */
    static String render(RoutePlan plan, LlmConfig config, List<BudgetStatus> standings) {
        StringBuilder sb = new StringBuilder();
        sb.append("agent:     ").append(plan.agent()).append('\n');
        sb.append("strategy:  ").append(plan.strategy()).append('\n');
        sb.append("prompt:    ~").append(plan.estimatedTokens()).append(" tokens (estimated)").append('\n');
        sb.append("chosen:    ").append(plan.chosen().map(c -> c.tool() + "/" + c.model() + ": " + c.reason())
                .orElse("none: no candidate may run")).append('\n');
        List<Candidate> fallbacks = plan.runnable().stream().filter(c -> c.status() == Candidate.Status.FALLBACK).toList();
        sb.append("fallbacks:").append(fallbacks.isEmpty() ? " none\n" : "\n");
        for (Candidate c : fallbacks) {
            sb.append("  ").append(c.tool()).append('/').append(c.model()).append(": ").append(c.reason()).append('\n');
        }
        sb.append("excluded:").append(plan.excluded().isEmpty() ? " none\n" : "\n");
        for (Candidate c : plan.excluded()) {
            sb.append("  ").append(c.tool()).append('/').append(c.model()).append(": ").append(c.reason()).append('\n');
        }
        sb.append("budgets:");
        Optional<Candidate> chosen = plan.chosen();
        if (chosen.isEmpty()) {
            sb.append(" not applicable (nothing would run)");
            return sb.toString();
        }
        String team = config.agent(plan.agent()).flatMap(AgentDefinition::team).orElse(null);
        List<BudgetDefinition> matching = config.policies().budgets().stream()
                .filter(b -> b.scope().matches(plan.agent(), team, chosen.get().tool(), chosen.get().model()))
                .toList();
        if (matching.isEmpty()) {
            sb.append(" none applies");
            return sb.toString();
        }
        sb.append('\n');
        for (BudgetDefinition b : matching) {
            sb.append("  ").append(b.name()).append(' ').append(b.scope()).append(": ")
                    .append(b.period().name().toLowerCase(Locale.ROOT)).append(" limit $")
                    .append(b.limitUsd().toPlainString()).append(' ')
                    .append(b.limitType().name().toLowerCase(Locale.ROOT))
                    .append(", on exceed ").append(b.onExceed().name().toLowerCase(Locale.ROOT));
            Optional<BudgetStatus> standing = standings.stream().filter(s -> s.name().equals(b.name())).findFirst();
            if (standing.isPresent()) {
                BudgetStatus st = standing.get();
                sb.append("; ").append(st.period()).append(": spent $").append(usd(st.spentUsd()))
                        .append(", reserved $").append(usd(st.reservedUsd())).append(", headroom $")
                        .append(usd(st.remainingUsd()));
                if (st.expiryCharges() > 0) {
                    // part of "spent": reservations of calls that never settled (their process died)
                    sb.append("; charged at expiry $").append(usd(st.expiryChargedUsd())).append(" for ")
                            .append(st.expiryCharges()).append(st.expiryCharges() == 1 ? " call" : " calls");
                }
            } else {
                sb.append("; headroom unknown (budget type '").append(b.type()).append("' keeps its own books)");
            }
            sb.append('\n');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String usd(java.math.BigDecimal amount) {
        return amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean verbose() {
        return common.verbose();
    }
}
