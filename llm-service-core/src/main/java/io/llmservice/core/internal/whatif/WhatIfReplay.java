package io.llmservice.core.internal.whatif;

import io.llmservice.Candidate;
import io.llmservice.ErrorCode;
import io.llmservice.LlmRequest;
import io.llmservice.LlmServiceException;
import io.llmservice.RoutePlan;
import io.llmservice.Usage;
import io.llmservice.WhatIfCost;
import io.llmservice.WhatIfMove;
import io.llmservice.WhatIfReport;
import io.llmservice.config.AgentDefinition;
import io.llmservice.config.BudgetDefinition;
import io.llmservice.config.LlmConfig;
import io.llmservice.config.ModelDefinition;
import io.llmservice.config.OnExceed;
import io.llmservice.config.ToolDefinition;
import io.llmservice.core.internal.RequestResolver;
import io.llmservice.core.internal.pipeline.BudgetStep;
import io.llmservice.core.internal.routing.CostEstimator;
import io.llmservice.spi.InvocationRecord;
import io.llmservice.spi.RouteInput;
import io.llmservice.spi.RoutingStrategy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Replays recorded requests under a proposed configuration, in one pass over the log, without running
 * anything.
 *
 * <p>Per request: its records are folded as they stream in ({@link OpenRequest}); once it is over, its
 * route is re-decided by the proposed routing strategy from the recorded agent and {@link RouteInput}
 * (through the same agent resolution and override checks as {@code route()}; every tool taken as
 * installed; the first candidate taken as the one that answers), the tokens of its answering attempt
 * are priced at the chosen model's list price ({@link io.llmservice.config.Pricing#cost}, as {@code
 * CostCalculator} prices a call without a tool-reported cost), and the proposed {@code limit} budgets
 * are applied in time order: a hard limit the cost would pass refuses it (on {@code on_exceed:
 * downgrade}, the cheaper models {@link BudgetStep#cheaperModels} lists are tried first), a soft one
 * counts it as over.
 *
 * <p>A request that never answered (or whose answer reported no token counts) has no usage to re-price:
 * it is re-routed and counted like the others, and its recorded cost is carried over unchanged (usually
 * zero; a timeout the tool billed keeps its cost), so it neither adds nor invents savings.
 *
 * <p><b>Memory.</b> Records arrive ordered by start time. A request is open from its first record until
 * it answered, or until no record of it came for {@link #HORIZON} after its latest attempt ended (a
 * fallback starts right after the attempt before it); requests are closed oldest first, so budgets see
 * them in start order. A request that never finishes (its process died with the service) is closed by
 * the horizon, and at most {@link #MAX_OPEN} requests are open at once (beyond, the oldest is closed as
 * it is): memory is bounded by the traffic of one horizon, not by the length of the log. Totals are kept
 * per agent, per move and per budget (the current period only).
 *
 * <pre>{@code
 * WhatIfReport r = new WhatIfReplay(proposed, strategy, d -> { }).replay(from, to, sink -> store.scanRecords(from, to, sink));
 * }</pre>
 *
 * <p>Not thread-safe; one replay per instance at a time.
 */
public final class WhatIfReplay {
    /** How long after a request's last attempt ended a further attempt is still waited for. */
    static final Duration HORIZON = Duration.ofHours(1);
    /** The most requests held open at once. */
    static final int MAX_OPEN = 100_000;
    /** The prompt is never stored; routing does not read it (the recorded estimate stands in). */
    private static final String PROMPT_NOT_STORED = "(prompt not stored)";

    private final LlmConfig proposed;
    private final RoutingStrategy strategy;
    private final RequestResolver resolver;
    private final CostEstimator estimator = new CostEstimator();
    private final Consumer<Decision> observer;

    /**
     * @param proposed the configuration to replay under
     * @param strategy its routing strategy
     * @param observer told every replayed request's decision, in the order budgets see them
     */
    public WhatIfReplay(LlmConfig proposed, RoutingStrategy strategy, Consumer<Decision> observer) {
        this.proposed = Objects.requireNonNull(proposed, "proposed");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.resolver = new RequestResolver(proposed);
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Replays the records {@code scan} passes to its sink (those of {@code [from, to)}, ordered by start
     * time).
     *
     * @throws LlmServiceException with {@link ErrorCode#INVALID_REQUEST} when requests lack their route input
     */
    public WhatIfReport replay(Instant from, Instant to, Consumer<Consumer<InvocationRecord>> scan) {
        Run run = new Run();
        scan.accept(run::accept);
        run.closeAll();
        return run.report(from, to);
    }

    /** Totals of one agent or one move. */
    private static final class Totals {
        long requests;
        BigDecimal recordedUsd = BigDecimal.ZERO;
        BigDecimal proposedUsd = BigDecimal.ZERO;

        void add(BigDecimal recorded, BigDecimal proposedCost) {
            requests++;
            recordedUsd = recordedUsd.add(recorded);
            proposedUsd = proposedUsd.add(proposedCost);
        }
    }

    private record MoveKey(String fromTool, String fromModel, String toTool, String toModel) {
    }

    /** The state of one replay. */
    private final class Run {
        private final LinkedHashMap<String, OpenRequest> open = new LinkedHashMap<>();
        /** The ids of the latest closed requests, so a record arriving after its request closed is not a new one. */
        private final Map<String, Boolean> closed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > MAX_OPEN;
            }
        };
        private long late;
        private final List<BudgetTrack> budgets = new ArrayList<>();
        private final List<String> budgetsNotReplayed = new ArrayList<>();
        private final Map<String, Totals> agents = new TreeMap<>();
        private final Map<MoveKey, Totals> moves = new LinkedHashMap<>();
        private final Map<String, Totals> notReplayed = new TreeMap<>();
        private long carriedOver;
        private long lacking;
        private long seen;
        private Instant firstLacking;
        private Instant lastLacking;
        /** The first record with a route input after the last one without. */
        private Instant keptSince;

        Run() {
            for (BudgetDefinition b : proposed.policies().budgets()) {
                if (b.type().equals(BudgetDefinition.DEFAULT_TYPE)) {
                    budgets.add(new BudgetTrack(b, proposed.policies().timezone()));
                } else {
                    budgetsNotReplayed.add("budget '" + b.name() + "' is of type '" + b.type()
                            + "', which a replay cannot evaluate: it is left out");
                }
            }
        }

        void accept(InvocationRecord r) {
            if (r.routeInput().isEmpty()) {
                if (firstLacking == null) {
                    firstLacking = r.startedAt();
                }
                lastLacking = r.startedAt();
                keptSince = null;
            } else if (keptSince == null) {
                keptSince = r.startedAt();
            }
            OpenRequest o = open.get(r.requestId());
            if (o == null && closed.containsKey(r.requestId())) {
                late++;
                return;
            }
            if (o == null) {
                o = new OpenRequest(r);
                open.put(r.requestId(), o);
            }
            o.add(r);
            closeFinished(r.startedAt());
        }

        /** Closes requests oldest first while the oldest is over (answered, or silent for the horizon). */
        private void closeFinished(Instant now) {
            Iterator<OpenRequest> it = open.values().iterator();
            while (it.hasNext()) {
                OpenRequest head = it.next();
                boolean over = head.answered || head.lastEnded.plus(HORIZON).isBefore(now) || open.size() > MAX_OPEN;
                if (!over) {
                    return;
                }
                it.remove();
                close(head);
            }
        }

        void closeAll() {
            Iterator<OpenRequest> it = open.values().iterator();
            while (it.hasNext()) {
                OpenRequest o = it.next();
                it.remove();
                close(o);
            }
        }

        private void close(OpenRequest o) {
            closed.put(o.requestId, Boolean.TRUE);
            seen++;
            if (o.lacksRouteInput || o.routeInput.isEmpty()) {
                lacking++;
                return;
            }
            if (lacking > 0) {
                return;   // the replay will be refused: counting is all that is left to do
            }
            replay(o, o.routeInput.get());
        }

        private void replay(OpenRequest o, RouteInput in) {
            LlmRequest.Builder b = LlmRequest.builder(PROMPT_NOT_STORED);
            if (!o.agent.equals(RequestResolver.AD_HOC_AGENT)) {
                b.agent(o.agent);
            }
            in.complexity().ifPresent(b::complexity);
            in.tool().ifPresent(b::tool);
            in.model().ifPresent(b::model);
            LlmRequest request = b.build();
            AgentDefinition agent;
            try {
                agent = resolver.agentFor(request);
            } catch (LlmServiceException e) {
                skip(o, "agent '" + o.agent + "': " + e.getMessage());
                return;
            }
            long tokens = in.estimatedPromptTokens();
            RoutePlan plan = strategy.plan(new ReplayContext(request, agent, proposed, tokens));
            Optional<Candidate> chosen = plan.chosen();
            if (chosen.isEmpty()) {
                skip(o, "agent '" + o.agent + "': no route under the proposed configuration: " + plan.explain());
                return;
            }
            String tool = chosen.get().tool();
            String model = chosen.get().model();
            Optional<ModelDefinition> def = proposed.model(model);
            boolean repriced = o.usage.isKnown() && def.isPresent();
            if (!repriced) {
                carriedOver++;
            }
            BigDecimal usd = def.map(d -> price(o, d)).orElse(o.recordedUsd);

            Instant at = o.startedAt;
            budgets.forEach(t -> t.enter(at));
            String finalModel = model;
            Optional<String> refusedBy = Optional.empty();
            BudgetTrack refuser = firstRefuser(agent, tool, model, usd);
            if (refuser != null) {
                boolean admitted = false;
                if (refuser.definition.onExceed() == OnExceed.DOWNGRADE && def.isPresent()) {
                    ToolDefinition toolDef = proposed.tools().get(tool);
                    BigDecimal cap = proposed.policies().maxReservationUsd();
                    for (ModelDefinition cheaper : BudgetStep.cheaperModels(toolDef, def.get(), tokens, proposed,
                            m -> BudgetStep.estimate(estimator, cap, m, tokens), id -> false)) {
                        BigDecimal cheaperUsd = price(o, cheaper);
                        BudgetTrack next = firstRefuser(agent, tool, cheaper.id(), cheaperUsd);
                        if (next == null) {
                            admitted = true;
                            finalModel = cheaper.id();
                            usd = cheaperUsd;
                            refuser.downgraded(at);
                            break;
                        }
                        if (next.definition.onExceed() != OnExceed.DOWNGRADE) {
                            break;
                        }
                    }
                }
                if (!admitted) {
                    refuser.refused(at);
                    refusedBy = Optional.of(refuser.definition.name());
                    usd = BigDecimal.ZERO;
                }
            }
            if (refusedBy.isEmpty()) {
                for (BudgetTrack t : budgets) {
                    if (t.applies(agent.name(), agent.team(), tool, finalModel)) {
                        t.spend(usd, at);
                    }
                }
            }
            agents.computeIfAbsent(o.agent, a -> new Totals()).add(o.recordedUsd, usd);
            moves.computeIfAbsent(new MoveKey(o.tool, o.model, tool, finalModel), k -> new Totals())
                    .add(o.recordedUsd, usd);
            observer.accept(new Decision(o.requestId, o.startedAt, o.agent, tool, model, finalModel, refusedBy,
                    o.recordedUsd, usd, repriced));
        }

        /** The answering attempt's tokens at {@code model}'s list price; the recorded cost when there are none. */
        private BigDecimal price(OpenRequest o, ModelDefinition model) {
            Usage u = o.usage;
            if (!u.isKnown()) {
                return o.recordedUsd;
            }
            return model.pricing().cost(u.inputTokens().getAsLong(), u.outputTokens().getAsLong(),
                    u.cacheReadTokens().orElse(0), u.cacheWriteTokens().orElse(0));
        }

        /** The first hard budget, in configuration order, that applies and has no room for {@code usd}. */
        private BudgetTrack firstRefuser(AgentDefinition agent, String tool, String model, BigDecimal usd) {
            for (BudgetTrack t : budgets) {
                if (t.applies(agent.name(), agent.team(), tool, model) && t.refuses(usd)) {
                    return t;
                }
            }
            return null;
        }

        private void skip(OpenRequest o, String reason) {
            notReplayed.computeIfAbsent(reason, r -> new Totals()).add(o.recordedUsd, BigDecimal.ZERO);
        }

        WhatIfReport report(Instant from, Instant to) {
            if (lacking > 0) {
                throw new LlmServiceException(ErrorCode.INVALID_REQUEST, lacking + " of the " + seen
                        + " requests between " + from + " and " + to + " cannot be replayed: their records lack the"
                        + " route input (prompt token estimate, complexity hint) a replay needs; they were logged"
                        + " from " + firstLacking + " to " + lastLacking + " by a version of llm-service that did"
                        + " not keep it. " + (keptSince != null
                        ? "The log has it from " + keptSince + " on: replay from then (--since/--from " + keptSince
                                + ")."
                        : "No later record has it: record some traffic with this version first."));
            }
            WhatIfReport.Builder r = WhatIfReport.builder().window(from, to)
                    .strategy(proposed.policies().routing().strategy());
            Totals all = new Totals();
            agents.forEach((name, t) -> {
                r.agent(new WhatIfCost(name, t.requests, t.recordedUsd, t.proposedUsd));
                all.requests += t.requests;
                all.recordedUsd = all.recordedUsd.add(t.recordedUsd);
                all.proposedUsd = all.proposedUsd.add(t.proposedUsd);
            });
            r.requests(all.requests).total(new WhatIfCost(WhatIfCost.TOTAL, all.requests, all.recordedUsd,
                    all.proposedUsd));
            moves.entrySet().stream()
                    .sorted(Comparator.comparingLong((Map.Entry<MoveKey, Totals> e) -> -e.getValue().requests)
                            .thenComparing(e -> e.getKey().toString()))
                    .forEach(e -> r.move(new WhatIfMove(e.getKey().fromTool(), e.getKey().fromModel(),
                            e.getKey().toTool(), e.getKey().toModel(), e.getValue().requests,
                            e.getValue().recordedUsd, e.getValue().proposedUsd)));
            budgets.forEach(b -> r.budget(b.result()));
            notReplayed.forEach((reason, t) -> r.notReplayed(t.requests + " request(s) not replayed (recorded $"
                    + t.recordedUsd.toPlainString() + "): " + reason));
            budgetsNotReplayed.forEach(r::notReplayed);
            if (late > 0) {
                r.notReplayed(late + " record(s) came more than " + HORIZON.toHours() + " h after the attempt before"
                        + " them (or after their request had answered): left out of their request");
            }
            assumptions(r);
            return r.build();
        }

        private void assumptions(WhatIfReport.Builder r) {
            r.assumption("Token counts are carried over unchanged: each request's answering attempt's input, output"
                    + " and cache tokens are priced at the proposed model's list price, as if that model had used"
                    + " the same tokens (a sub-agent breakdown is priced as a whole at the proposed model).");
            r.assumption("Answer quality is not measured: a cheaper model that would have answered worse, or needed"
                    + " a second try, still counts as a saving.");
            r.assumption("The proposed routing's first candidate is taken to answer: every proposed tool installed,"
                    + " no cooldowns, rate limits, failures or fallbacks; sessions are not pinned.");
            r.assumption("The prompt is not stored, so each request keeps its recorded token estimate, complexity"
                    + " hint, explicit tool/model and agent (taken as named explicitly).");
            r.assumption("Budgets are applied to the proposed costs in time order, periods cut in "
                    + proposed.policies().timezone() + "; a hard limit refuses a request whose cost would pass it"
                    + " (real calls reserve an estimate first, so they can be refused a little earlier); a refused"
                    + " request costs nothing.");
            r.assumption(carriedOver + " request(s) had no token counts to re-price (never answered, or the tool"
                    + " reported only a cost): their recorded cost is carried over unchanged.");
        }
    }
}
