package io.llmservice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the recorded requests of a period would have cost under another configuration
 * ({@link LlmService#whatIf}): per agent and in total, which tool/model pairs the requests move
 * between, what the proposed budgets would have refused or downgraded, and the assumptions the replay
 * rests on.
 *
 * <pre>{@code
 * LlmConfig proposed = LlmService.builder().config(Path.of("proposed.yaml")).loadConfig();
 * WhatIfReport r = llm.whatIf(proposed, StatsQuery.builder().since(Instant.now().minus(Duration.ofDays(30))).build());
 * System.out.println(r.total().recordedUsd() + " -> " + r.total().proposedUsd());
 * r.assumptions().forEach(System.out::println);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param from        inclusive start of the window replayed
 * @param to          exclusive end of the window replayed
 * @param strategy    the proposed routing strategy
 * @param requests    requests replayed (those of agents the proposed configuration does not define are not)
 * @param agents      one line per agent, by name
 * @param total       the sum of the agents' lines
 * @param moves       recorded tool/model to proposed tool/model, most requests first
 * @param budgets     each proposed budget of type {@code limit}, in configuration order
 * @param notReplayed what was left out and why, one line each (empty when everything was replayed)
 * @param assumptions what the replay assumes, one line each
 */
public record WhatIfReport(Instant from, Instant to, String strategy, long requests, List<WhatIfCost> agents,
                           WhatIfCost total, List<WhatIfMove> moves, List<WhatIfBudget> budgets,
                           List<String> notReplayed, List<String> assumptions) {
    public WhatIfReport {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(total, "total");
        agents = List.copyOf(agents);
        moves = List.copyOf(moves);
        budgets = List.copyOf(budgets);
        notReplayed = List.copyOf(notReplayed);
        assumptions = List.copyOf(assumptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link WhatIfReport}s; {@code from}, {@code to}, {@code strategy} and {@code total} are
     * required, the lists default to empty. Not thread-safe.
     */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private String strategy;
        private long requests;
        private final List<WhatIfCost> agents = new ArrayList<>();
        private WhatIfCost total;
        private final List<WhatIfMove> moves = new ArrayList<>();
        private final List<WhatIfBudget> budgets = new ArrayList<>();
        private final List<String> notReplayed = new ArrayList<>();
        private final List<String> assumptions = new ArrayList<>();

        private Builder() {
        }

        public Builder window(Instant from, Instant to) {
            this.from = Objects.requireNonNull(from, "from");
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        public Builder requests(long requests) {
            this.requests = requests;
            return this;
        }

        public Builder agent(WhatIfCost agent) {
            agents.add(Objects.requireNonNull(agent, "agent"));
            return this;
        }

        public Builder total(WhatIfCost total) {
            this.total = Objects.requireNonNull(total, "total");
            return this;
        }

        public Builder move(WhatIfMove move) {
            moves.add(Objects.requireNonNull(move, "move"));
            return this;
        }

        public Builder budget(WhatIfBudget budget) {
            budgets.add(Objects.requireNonNull(budget, "budget"));
            return this;
        }

        public Builder notReplayed(String line) {
            notReplayed.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        public Builder assumption(String line) {
            assumptions.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        public WhatIfReport build() {
            if (from == null || to == null || strategy == null || total == null) {
                throw new IllegalStateException("WhatIfReport needs window, strategy and total; missing: "
                        + (from == null ? "window " : "") + (strategy == null ? "strategy " : "")
                        + (total == null ? "total" : ""));
            }
            return new WhatIfReport(from, to, strategy, requests, agents, total, moves, budgets, notReplayed,
                    assumptions);
        }
    }
}
